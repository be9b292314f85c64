# The three MA3C images from one multi-stage build (Maven runs inside; only debian:bookworm-slim
# is pulled). From the repository root:
#   docker build --target env-service   -t ma3c/env-service .
#   docker build --target learner       -t ma3c/learner .
#   docker build --target policy-server -t ma3c/policy-server .
# or all three with `docker compose --profile serve build`. Needs BuildKit (the default builder
# with buildx) for the Maven cache mount, which keeps downloads between builds.

FROM debian:bookworm-slim AS jdk
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven binutils >/dev/null

# A Java runtime of only the modules the three programs use (jdeps over their jars), ~1/4 of
# Debian's JRE package; the runtime images then need no apt-get at all (binutils: jlink strips
# native debug symbols with objcopy).
FROM jdk AS java-runtime
RUN jlink --add-modules java.base,java.compiler,java.desktop,java.management,java.naming,java.sql,jdk.jfr,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.httpserver,jdk.incubator.vector \
      --strip-debug --no-man-pages --no-header-files --compress=2 --output /java

FROM jdk AS sources
WORKDIR /src
COPY pom.xml .
COPY proto/pom.xml proto/pom.xml
COPY cli/pom.xml cli/pom.xml
COPY run-format/pom.xml run-format/pom.xml
COPY grpc-server/pom.xml grpc-server/pom.xml
COPY env-client/pom.xml env-client/pom.xml
COPY env-service/pom.xml env-service/pom.xml
COPY model/pom.xml model/pom.xml
COPY policy/pom.xml policy/pom.xml
COPY dashboard/pom.xml dashboard/pom.xml
COPY learner/pom.xml learner/pom.xml
COPY integration-tests/pom.xml integration-tests/pom.xml
COPY clients/python/pom.xml clients/python/pom.xml
COPY proto/src proto/src
COPY cli/src cli/src
COPY grpc-server/src grpc-server/src
COPY env-client/src env-client/src
COPY env-service/src env-service/src

# The env service alone: its image never waits on DL4J's downloads.
FROM sources AS build-env
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl env-service -am package -DskipTests \
    && cp env-service/target/ma3c-env-service-*-all.jar /env-service.jar

# Learner and policy server; third-party jars apart from ours so that a code change leaves the
# big dependency layer of the runtime images untouched.
FROM sources AS build
COPY run-format/src run-format/src
COPY model/src model/src
COPY policy/src policy/src
COPY dashboard/src dashboard/src
COPY learner/src learner/src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl learner,policy -am package -DskipTests \
    && for m in learner policy; do \
         mkdir -p /out/$m/deps/lib /out/$m/app/lib \
         && cp $m/target/ma3c-$m.jar /out/$m/app/ \
         && cp $m/target/lib/* /out/$m/deps/lib/ \
         && mv /out/$m/deps/lib/ma3c-* /out/$m/app/lib/; \
       done

FROM debian:bookworm-slim AS jre
COPY --from=java-runtime /java /opt/java
ENV PATH=/opt/java/bin:$PATH
RUN useradd --system --uid 10001 --user-group --home-dir /nonexistent --shell /usr/sbin/nologin ma3c

# Port 50051 on every interface of the container (the service alone listens on 127.0.0.1 by
# default); ROMs in /roms (mount them read-only).
FROM jre AS env-service
COPY --from=build-env /env-service.jar /opt/ma3c/env-service.jar
USER ma3c
ENV ALE_ROM_DIR=/roms ENV_PORT=50051 ENV_BIND=0.0.0.0
EXPOSE 50051
# Healthy = the gRPC health service answers SERVING, which it does once it has described every
# ROM (~10 s for the usual set; longer on a busy machine, hence the start period). `health` asks
# where the service listens, following ENV_BIND and ENV_PORT (loopback for 0.0.0.0).
HEALTHCHECK --interval=10s --timeout=10s --start-period=60s \
  CMD ["java", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-jar", "/opt/ma3c/env-service.jar", "health"]
ENTRYPOINT ["java", "-Xms256m", "-Xmx1g", "-jar", "/opt/ma3c/env-service.jar"]

# Port 50052; serves the <game>.onnx files of POLICY_MODELS (mount them read-only; the directory
# must exist at start). The server binds to loopback by default: in a container it must listen on
# every interface for a published port to reach it.
FROM jre AS policy-server
COPY --from=build /out/policy/deps/ /opt/ma3c/
COPY --from=build /out/policy/app/ /opt/ma3c/
USER ma3c
ENV POLICY_PORT=50052 POLICY_MODELS=/models POLICY_BIND=0.0.0.0
EXPOSE 50052
HEALTHCHECK --interval=10s --timeout=10s --start-period=20s \
  CMD ["java", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-jar", "/opt/ma3c/ma3c-policy.jar", "health"]
ENTRYPOINT ["java", "-Xms256m", "-Xmx1g", "-jar", "/opt/ma3c/ma3c-policy.jar"]

# Writes runs under /runs (mount a host directory). The entrypoint starts as root only to take
# the owner of /runs and then runs java as that user (never root), see docker/learner-entrypoint.sh.
FROM jre AS learner
COPY --from=build /out/learner/deps/ /opt/ma3c/
COPY --from=build /out/learner/app/ /opt/ma3c/
COPY docker/learner-entrypoint.sh /usr/local/bin/learner-entrypoint
# The entrypoint adds the Vector API module the engine needs (model/).
ENV MA3C_JAVA_OPTS="-Xms2g -Xmx4g" HOME=/tmp
WORKDIR /
ENTRYPOINT ["learner-entrypoint"]
CMD ["train"]
