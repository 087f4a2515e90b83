# A smoke test of a built image: the whole system started inside it as the image's non-root user
# (all five services on the embedded log, the local email and SMS providers, demo data), its
# status and a dispatch board asked for, and stopped. It runs as a build, so it needs no container
# runtime beyond the builder (docker build, or podman build --isolation=chroot where containers
# cannot be run). It uses ports 28101-28105, 30101-30105, 23525 and 29025 of the build's network,
# which must be free: a builder that shares the host's network (podman's chroot isolation) would
# otherwise reach whatever listens there.
#
#   docker build -f deploy/container/Dockerfile --target dev -t jobledger:dev-tools .
#   docker build -f deploy/container/smoke.Dockerfile --build-arg IMAGE=jobledger:dev-tools .
ARG IMAGE=jobledger:dev-tools
FROM ${IMAGE}
RUN jl up --data-dir /tmp/smoke --port-offset 21000 \
    && jl status --data-dir /tmp/smoke \
    && jl call --data-dir /tmp/smoke reporting ReportingService/GetDispatchCounts '{}' \
         --token "$(jl token --key-file /tmp/smoke/jwt-hs256.key --tenant demo \
                      --subject smoke-test --role dispatcher)" \
    && jl down --data-dir /tmp/smoke \
    || { jl down --data-dir /tmp/smoke; exit 1; }
