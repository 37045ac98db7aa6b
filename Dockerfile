# contractgen in a container: render, validate and bundle the specs of a mounted folder.
#
#   docker build -t contractgen .
#   docker run --rm -v "$PWD:/work" contractgen render /work/specs -o /work/out
#
# (podman takes the same two lines.) The system packages are tools/apt-packages.txt, installed by the very step
# a developer's ./dev runs; contractgen itself is a plain, non-editable install of this checkout.
FROM debian:12-slim

ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# System packages first, in a layer of their own: it is rebuilt only when ./dev or the package list change.
# ./dev brings Debian's python3 and python3-venv too, since the base image has no Python.
WORKDIR /src
COPY dev ./dev
COPY tools/apt-packages.txt ./tools/apt-packages.txt
RUN ./dev system-packages \
 && rm -rf /var/lib/apt/lists/* \
 && fc-cache

COPY . .
RUN python3 -m venv /opt/contractgen \
 && /opt/contractgen/bin/pip install . \
 && cd / && rm -rf /src \
 && /opt/contractgen/bin/contractgen doctor

# Any user may run it (docker run --user "$(id -u):$(id -g)" …, so that the outputs belong to you): caches go
# to /tmp, not to a home directory that user does not have.
ENV PATH=/opt/contractgen/bin:$PATH \
    XDG_CACHE_HOME=/tmp/.cache
WORKDIR /work
ENTRYPOINT ["contractgen"]
CMD ["--help"]
