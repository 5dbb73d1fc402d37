#!/bin/bash
# Keeps the container alive and runs the node JVM, so that the nemesis can kill -9 the JVM and
# start it again with the same data directory and address. Control files in /run/kv:
#   hold      while present, the node is not (re)started (the nemesis's "crash" window)
#   node.pid  the running JVM's pid (for kill -9, SIGSTOP, SIGCONT)
mkdir -p /run/kv /data
echo "$(date -Is) supervisor start" >> /data/supervisor.log
while true; do
  if [ -f /run/kv/hold ]; then
    sleep 0.1
    continue
  fi
  java ${KV_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC} --enable-native-access=ALL-UNNAMED \
    -jar /opt/kvstore/kvstore-node.jar --config /etc/kvstore/node.yaml >> /data/node.log 2>&1 &
  pid=$!
  echo "$pid" > /run/kv/node.pid
  wait "$pid"
  echo "$(date -Is) node $pid exited with $?" >> /data/supervisor.log
  rm -f /run/kv/node.pid
  sleep 0.2
done
