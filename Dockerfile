# The production shape of the API server (and the SPA it serves). Build from the repo root:
#   docker build -t madoguchi .
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/* \
    && rustup target add wasm32-unknown-unknown
WORKDIR /src
COPY . .
RUN cargo xtask web && cargo build --release -p madoguchi-api --bin madoguchi

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /srv/madoguchi madoguchi
WORKDIR /srv/madoguchi
COPY --from=build /src/target/release/madoguchi /usr/local/bin/madoguchi
COPY --from=build /src/web/dist ./web/dist
USER madoguchi
ENV MADOGUCHI_HOST=0.0.0.0 \
    MADOGUCHI_PORT=8080 \
    MADOGUCHI_LOG_FORMAT=json
EXPOSE 8080
CMD ["madoguchi", "serve"]
