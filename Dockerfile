# syntax=docker/dockerfile:1.7
# One image, every role: ASTRO_ROLES chooses what a container runs (customer, admin, system,
# scheduler, or several). Dependencies are built in their own layer so code changes rebuild fast.

FROM rust:1.95-slim-bookworm AS dependencies
WORKDIR /build
COPY Cargo.toml Cargo.lock build.rs ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src

FROM dependencies AS build
COPY migrations migrations
# Compiled in so that the server can recognise (and outside ASTRO_ENV=development refuse) the
# development token keys. This image sets no ASTRO_ENV: give it ASTRO_TOKEN_PUBLIC_KEY, and
# ASTRO_TOKEN_PRIVATE_KEY where it runs the system role.
COPY scripts/dev-token-keys scripts/dev-token-keys
COPY src src
RUN touch src/main.rs src/lib.rs && cargo build --release --locked

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home astro
COPY --from=build /build/target/release/astro-bookings /usr/local/bin/astro-bookings
USER 10001:10001
ENV ASTRO_BIND_HOST=0.0.0.0 \
    ASTRO_ROLES=all \
    RUST_LOG=info
EXPOSE 8081 8082 8083 8084
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/astro-bookings"]
CMD ["serve"]
