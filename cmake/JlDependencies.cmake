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
find_package(CURL REQUIRED)                  # email (SMTP) and SMS (HTTP) delivery
# libharu renders invoices as PDF. Debian ships neither a CMake config nor a pkg-config file for it.
find_path(HPDF_INCLUDE_DIR hpdf.h)
find_library(HPDF_LIBRARY hpdf)
if(NOT HPDF_INCLUDE_DIR OR NOT HPDF_LIBRARY)
  message(FATAL_ERROR "libharu (hpdf.h, libhpdf) not found: install the Debian package "
                      "libhpdf-dev (tools/install-deps does)")
endif()
add_library(jl::hpdf UNKNOWN IMPORTED)
set_target_properties(jl::hpdf PROPERTIES IMPORTED_LOCATION "${HPDF_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${HPDF_INCLUDE_DIR}")
