# Finds the Debian-packaged libraries jobledger builds against (see tools/install-deps).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)            # FindProtobuf module: Debian ships no protobuf config
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(RocksDB CONFIG REQUIRED)
find_package(GTest CONFIG REQUIRED)
find_package(benchmark CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
find_package(nlohmann_json CONFIG REQUIRED)  # JSON log lines, token claims
find_package(cpp-jwt CONFIG REQUIRED)        # bearer JWT verification (libs/auth)
