/**
 * deploy/kubernetes without a Kubernetes: {@link io.kvstore.clustertests.kubernetes.Manifests}
 * reads what {@code kubectl apply -k} would create, {@link
 * io.kvstore.clustertests.kubernetes.PodTemplate} turns the StatefulSet into each ordinal's
 * {@link io.kvstore.clustertests.kubernetes.Pod} as the controller and the kubelet would
 * ({@link io.kvstore.clustertests.kubernetes.KubeletExpansion}, {@link
 * io.kvstore.clustertests.kubernetes.VolumeFiles}, {@link
 * io.kvstore.clustertests.kubernetes.Quantities}), and {@link
 * io.kvstore.clustertests.kubernetes.PodContainer} runs it in Docker on the image {@link
 * io.kvstore.clustertests.kubernetes.ProductionImage} builds from deploy/docker.
 */
package io.kvstore.clustertests.kubernetes;
