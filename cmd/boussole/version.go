package main

// version is stamped at build time: go build -ldflags "-X main.version=1.4.0"
// (deploy/build.sh does it); "dev" otherwise.
var version = "dev"
