package ma3c.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/k8s rendered by `kubectl kustomize` for each overlay, every object read into the
 * Kubernetes API's typed model with no field left over (a typo or a field of another API version
 * fails), then the deployment's invariants: a headless env Service, probes on declared ports,
 * scrape annotations on the metrics port, images of the Dockerfile's targets.
 */
class KubernetesManifestsIT {
  private static final Path ROOT = Path.of(System.getProperty("ma3c.root", ".."));
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * The kubectl binaries to render with: a current one and Debian bookworm's 1.20 (kustomize v2,
   * what a fresh Debian machine installs), where .ci/run could provide both.
   */
  static List<String> kubectls() {
    return List.of(System.getProperty("ma3c.kubectl", "kubectl").split(","));
  }

  static List<Arguments> overlaysAndKubectls() {
    List<Arguments> all = new ArrayList<>();
    for (String kubectl : kubectls()) {
      for (String overlay : List.of("laptop", "cluster")) {
        all.add(Arguments.of(overlay, kubectl));
      }
    }
    return all;
  }

  private static List<HasMetadata> render(String overlay, String kubectl) throws Exception {
    Process p = new ProcessBuilder(kubectl, "kustomize",
        ROOT.resolve("deploy/k8s/overlays").resolve(overlay).toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String yaml = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize timed out");
    assertEquals(0, p.exitValue(), kubectl + " kustomize " + overlay + " failed");
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---$")) {
      if (!doc.isBlank()) {
        HasMetadata o = SERIALIZATION.unmarshal(doc);
        assertFalse(o.getClass().getSimpleName().startsWith("Generic"),
            "an object the typed model does not know: " + doc.lines().limit(3).toList());
        objects.add(o);
      }
    }
    return objects;
  }

  /** Every field the typed model did not recognise (additionalProperties), with its path. */
  private static List<String> unknownFields(Object node, String path, Set<Object> seen) throws Exception {
    List<String> out = new ArrayList<>();
    if (node == null || !node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")
        || seen.contains(node)) {
      return out;
    }
    seen.add(node);
    for (Method m : node.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
        continue;
      }
      Object value = m.invoke(node);
      String at = path + "." + m.getName().substring(3);
      if (m.getName().equals("getAdditionalProperties")) {
        ((Map<?, ?>) value).keySet().forEach(k -> out.add(path + "." + k));
      } else if (value instanceof Collection<?> items) {
        int i = 0;
        for (Object item : items) {
          out.addAll(unknownFields(item, at + "[" + i++ + "]", seen));
        }
      } else if (value instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          out.addAll(unknownFields(e.getValue(), at + "[" + e.getKey() + "]", seen));
        }
      } else {
        out.addAll(unknownFields(value, at, seen));
      }
    }
    return out;
  }

  private static <T> T one(List<HasMetadata> objects, Class<T> kind, String name) {
    return objects.stream().filter(kind::isInstance).map(kind::cast)
        .filter(o -> ((HasMetadata) o).getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }

  private static Set<String> dockerfileTargets() throws Exception {
    Matcher m = Pattern.compile("(?m)^FROM \\S+ AS (\\S+)$").matcher(Files.readString(ROOT.resolve("Dockerfile")));
    Set<String> targets = new java.util.HashSet<>();
    while (m.find()) {
      targets.add(m.group(1));
    }
    return targets;
  }

  /** Probes point at ports the container declares; scraping at its declared metrics port. */
  private static void checkPod(String what, PodTemplateSpec pod, Set<String> targets) {
    Container c = pod.getSpec().getContainers().get(0);
    Set<Integer> ports = c.getPorts().stream().map(ContainerPort::getContainerPort).collect(Collectors.toSet());
    for (Probe probe : new Probe[] {c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe()}) {
      if (probe != null) {
        assertNotNull(probe.getGrpc(), what + ": gRPC health probes");
        assertTrue(ports.contains(probe.getGrpc().getPort()), what + ": probe on an undeclared port");
      }
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    assertEquals("true", annotations.get("prometheus.io/scrape"), what);
    int scrape = Integer.parseInt(annotations.get("prometheus.io/port"));
    assertTrue(ports.contains(scrape), what + ": scrape port " + scrape + " not declared");
    List<String> args = c.getArgs();
    int at = args.indexOf("--metrics-port");
    assertTrue(at >= 0 && Integer.parseInt(args.get(at + 1)) == scrape,
        what + ": the server's --metrics-port is the scraped port: " + args);
    String image = c.getImage().replaceAll(":[^:/]*$", "");
    String target = image.substring(image.lastIndexOf('/') + 1);
    assertTrue(targets.contains(target), what + ": image " + c.getImage()
        + " is not named after a Dockerfile target " + targets);
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("overlaysAndKubectls")
  void everyOverlayRendersToValidObjectsThatHoldTogether(String overlay, String kubectl) throws Exception {
    List<HasMetadata> objects = render(overlay, kubectl);
    for (HasMetadata o : objects) {
      List<String> unknown = unknownFields(o, o.getKind() + "/" + o.getMetadata().getName(),
          java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
      assertTrue(unknown.isEmpty(), "fields the Kubernetes API does not have: " + unknown);
    }
    Set<String> targets = dockerfileTargets();

    Service envService = one(objects, Service.class, "ma3c-env");
    assertEquals("None", envService.getSpec().getClusterIP(), "headless: round_robin sees every pod");
    Deployment env = one(objects, Deployment.class, "ma3c-env");
    assertEquals(env.getSpec().getSelector().getMatchLabels(), envService.getSpec().getSelector());
    checkPod("env", env.getSpec().getTemplate(), targets);
    assertNotNull(env.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()
        .getRequests().get("cpu"), "a CPU request per emulator: the autoscaler needs it");

    HorizontalPodAutoscaler hpa = one(objects, HorizontalPodAutoscaler.class, "ma3c-env");
    assertEquals("ma3c-env", hpa.getSpec().getScaleTargetRef().getName());
    assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());

    Job learner = one(objects, Job.class, "ma3c-learner");
    checkPod("learner", learner.getSpec().getTemplate(), targets);
    List<String> args = learner.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertTrue(args.contains("--resume-if-exists"), "a restarted learner resumes: " + args);
    assertEquals("ma3c-env:50051", args.get(args.indexOf("--env") + 1), "the headless Service");
    // Sessions sharing a connection step one at a time on the transport thread: the env service
    // steps there only for a learner that opens a connection per actor thread.
    boolean onTransport = env.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .anyMatch(v -> v.getName().equals("ENV_STEP_ON_TRANSPORT_THREADS") && v.getValue().equals("true"));
    int connections = args.indexOf("--env-connections");
    assertEquals(onTransport, connections >= 0 && args.get(connections + 1).equals("per-thread"),
        "a connection per actor thread exactly where the env steps on transport threads: " + args);
    assertTrue(learner.getSpec().getTemplate().getSpec().getVolumes().stream()
        .anyMatch(v -> v.getPersistentVolumeClaim() != null), "runs on a claim");

    Deployment policy = one(objects, Deployment.class, "ma3c-policy");
    checkPod("policy", policy.getSpec().getTemplate(), targets);
    one(objects, Service.class, "ma3c-policy");
  }

  /** Every kubectl given renders the same objects (kustomize v2 and v5 read the manifests alike). */
  @ParameterizedTest
  @ValueSource(strings = {"laptop", "cluster"})
  void everyKubectlRendersTheSameObjects(String overlay) throws Exception {
    List<String> kubectls = kubectls();
    java.util.Comparator<HasMetadata> byName = java.util.Comparator.comparing(
        (HasMetadata o) -> o.getKind()).thenComparing(o -> o.getMetadata().getName());
    List<HasMetadata> first = render(overlay, kubectls.get(0));
    first.sort(byName);
    for (String other : kubectls.subList(1, kubectls.size())) {
      List<HasMetadata> objects = render(overlay, other);
      objects.sort(byName);
      assertEquals(first, objects, other + " renders " + overlay + " otherwise than " + kubectls.get(0));
    }
    assertTrue(first.stream().allMatch(o -> "ma3c".equals(o.getMetadata().getLabels()
        .get("app.kubernetes.io/part-of"))), "every object is labelled part of ma3c");
  }
}
