# The production image: the binary built by deploy/build.sh (static, no
# demo, version stamped; flows and locales embedded), on distroless as
# nonroot. Build:
#   docker build --build-arg VERSION=$(git describe --tags --always) -t boussole .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN VERSION="$VERSION" deploy/build.sh /out/boussole

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/boussole /boussole
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/boussole"]
CMD ["serve"]
