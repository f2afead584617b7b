#!/usr/bin/env bash
# Installs a configured and built httpfsm tree into a temporary prefix, then builds and runs
# programs against that prefix only, the way other projects will:
#   consumers.sh install   BUILD_DIR WORK_DIR   cmake --install, then check the installed tree
#   consumers.sh cmake     BUILD_DIR WORK_DIR   a CMake project using find_package(httpfsm CONFIG)
#   consumers.sh pkgconfig BUILD_DIR WORK_DIR   plain compiler commands using pkg-config
#   consumers.sh all       BUILD_DIR WORK_DIR   the three in order
# Compilers, flags (sanitizers included), the version and whether a shared library was built
# are read from BUILD_DIR/CMakeCache.txt, so the consumers are built as the library was.
# The ctests of tests/consumers/CMakeLists.txt run these steps; ci/test.sh runs `all` on a
# build with HTTPFSM_BUILD_SHARED=ON.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
step=${1:?usage: consumers.sh install|cmake|pkgconfig|all BUILD_DIR WORK_DIR}
build=$(cd "${2:?build directory}" && pwd)
work=${3:?work directory}
mkdir -p "$work"
work=$(cd "$work" && pwd)
prefix=$work/prefix

cache() {  # the value of a CMakeCache.txt entry, or empty
  sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt" | head -n 1
}
version=$(cache CMAKE_PROJECT_VERSION)
build_type=$(cache CMAKE_BUILD_TYPE)
cc=$(cache CMAKE_C_COMPILER)
cxx=$(cache CMAKE_CXX_COMPILER)
cflags=$(cache CMAKE_C_FLAGS)
cxxflags=$(cache CMAKE_CXX_FLAGS)
ldflags=$(cache CMAKE_EXE_LINKER_FLAGS)
shared=$(cache HTTPFSM_BUILD_SHARED)
inspect=$(cache HTTPFSM_BUILD_INSPECT)
[[ "$shared" =~ ^(ON|TRUE|1|YES)$ ]] && shared=1 || shared=0
[[ "$inspect" =~ ^(ON|TRUE|1|YES)$ ]] && inspect=1 || inspect=0
# The project's warning set, as errors, for the code compiled here too.
warnings=(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Werror)

fail() {
  echo "consumers.sh $step: $*" >&2
  exit 1
}

expect_output() {  # expect_output EXPECTED COMMAND...: runs COMMAND, compares its stdout
  local expected=$1 actual
  shift
  actual=$("$@") || fail "$* exited with status $?"
  [[ "$actual" == "$expected" ]] || fail "$*: expected '$expected', got '$actual'"
  echo "ok: $* -> $actual"
}

expected_cxx="c++ POST /upload body=abc error=obs_fold/400 version=$version"
expected_server="hello consumer"

# Starts a server consumer (it prints its port), asks it for /hello/consumer with curl,
# compares the body, then stops it by its PID. Every wait is bounded.
check_server() {
  local bin=$1 out pid port="" body i=0
  # Beside the binary: the CMake and pkg-config consumers both build a consumer_server and
  # run at the same time, so a shared "$work/consumer_server.port" let one read the other's
  # port (and find it closed).
  out=$1.port
  "$bin" >"$out" &
  pid=$!
  while [[ -z $port && $i -lt 200 ]]; do  # at most 10 s
    port=$(head -n 1 "$out" 2>/dev/null || true)
    [[ -n $port ]] || sleep 0.05
    i=$((i + 1))
  done
  if [[ -z $port ]]; then
    kill "$pid" 2>/dev/null || true
    fail "$bin printed no port"
  fi
  body=$(curl -sS --max-time 10 "http://127.0.0.1:$port/hello/consumer") || body="(curl failed)"
  kill -TERM "$pid"
  wait "$pid" || fail "$bin exited with status $? on SIGTERM"
  [[ "$body" == "$expected_server" ]] || fail "$bin: expected '$expected_server', got '$body'"
  echo "ok: $bin serves /hello/{name} -> $body"
}
expected_c="c PUT /notes body=hi error=te_with_cl/400 version=$version"

libdir() { dirname "$(find "$prefix" -name libhttpfsm.a -print -quit)"; }

# Checks that the program links libhttpfsm.so dynamically exactly when a shared build is tested.
check_linkage() {
  local needed
  needed=$(readelf -d "$1" | grep -c 'NEEDED.*libhttpfsm\.so' || true)
  if [[ $shared == 1 && $needed == 0 ]]; then fail "$1 does not link libhttpfsm.so"; fi
  if [[ $shared == 0 && $needed != 0 ]]; then fail "$1 links libhttpfsm.so in a static build"; fi
}

do_install() {
  rm -rf "$prefix"
  # A build without CMAKE_BUILD_TYPE installs its "noconfig" files only without --config.
  local config=()
  [[ -n "$build_type" ]] && config=(--config "$build_type")
  cmake --install "$build" --prefix "$prefix" "${config[@]}" >"$work/install.log"
  (cd "$prefix" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort) >"$work/install-tree.txt"
  local lib
  lib=$(libdir)
  lib=${lib#"$prefix"/}
  local wanted=(include/httpfsm/httpfsm.h include/httpfsm/version.hpp include/httpfsm/error_list.h
    "$lib/libhttpfsm.a" "$lib/cmake/httpfsm/httpfsmConfig.cmake"
    "$lib/cmake/httpfsm/httpfsmConfigVersion.cmake" "$lib/cmake/httpfsm/httpfsmTargets.cmake"
    "$lib/pkgconfig/httpfsm.pc")
  # Every public header, and nothing else from src/ and server/.
  local h
  for h in "$repo"/src/include/httpfsm/*; do wanted+=("include/httpfsm/$(basename "$h")"); done
  wanted+=(include/httpfsm/server.hpp "$lib/libhttpfsm_server.a" "$lib/pkgconfig/httpfsm-server.pc"
    "$lib/cmake/httpfsm/httpfsmServerTargets.cmake")
  for h in "$repo"/server/include/httpfsm/server/*; do
    wanted+=("include/httpfsm/server/$(basename "$h")")
  done
  if [[ $shared == 1 ]]; then
    wanted+=("$lib/libhttpfsm.so" "$lib/libhttpfsm.so.${version%%.*}" "$lib/libhttpfsm.so.$version")
  fi
  [[ $inspect == 1 ]] && wanted+=(bin/httpfsm-inspect)
  for f in "${wanted[@]}"; do
    grep -qxF "$f" "$work/install-tree.txt" || fail "not installed: $f"
  done
  local n_headers n_public
  n_headers=$(grep -c '^include/' "$work/install-tree.txt")
  n_public=$(($(find "$repo/src/include/httpfsm" "$repo/server/include/httpfsm" -type f |
    wc -l) + 1))  # + version.hpp
  [[ $n_headers == "$n_public" ]] || fail "$n_headers headers installed, expected $n_public"

  # Each installed header compiles on its own from the prefix alone: the set is complete.
  for h in "$prefix"/include/httpfsm/*.hpp "$prefix"/include/httpfsm/server/*.hpp; do
    echo "#include <${h#"$prefix"/include/}>" |
      "$cxx" -std=c++20 -fsyntax-only "${warnings[@]}" -I"$prefix/include" -x c++ - ||
      fail "installed header does not compile alone: $h"
  done
  echo "#include <httpfsm/httpfsm.h>" |
    "$cc" -std=c99 -fsyntax-only "${warnings[@]}" -I"$prefix/include" -x c - ||
    fail "httpfsm.h is not C99"
  if [[ $inspect == 1 ]]; then
    expect_output "httpfsm-inspect $version" "$prefix/bin/httpfsm-inspect" --version
  fi
  echo "ok: installed $(wc -l <"$work/install-tree.txt") files into $prefix"
}

do_cmake() {
  [[ -d $prefix ]] || fail "nothing installed in $prefix (run the install step first)"
  local out=$work/cmake-consumer
  rm -rf "$out"
  # CMAKE_MODULE_PATH only lends the consumer httpfsm's warning set (HttpfsmWarnings.cmake);
  # the package itself comes from the prefix alone.
  cmake -S "$here/cmake" -B "$out" -G Ninja \
    -DCMAKE_BUILD_TYPE="$build_type" \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_C_FLAGS="$cflags" -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_MODULE_PATH="$repo/cmake" -DHTTPFSM_WERROR=ON \
    -DHTTPFSM_EXPECTED_VERSION="$version" -DCONSUMER_LINK_SHARED="$shared" >"$out.log" ||
    { cat "$out.log"; fail "configure failed"; }
  cmake --build "$out" >>"$out.log" || { cat "$out.log"; fail "build failed"; }
  check_linkage "$out/consumer_cxx"
  check_linkage "$out/consumer_c"
  export LD_LIBRARY_PATH
  LD_LIBRARY_PATH=$(libdir)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  expect_output "$expected_cxx" "$out/consumer_cxx"
  expect_output "$expected_c" "$out/consumer_c"
  check_server "$out/consumer_server"
  [[ -x $out/tutorial_app ]] || fail "the tutorial app did not build out of tree"
}

do_pkgconfig() {
  [[ -d $prefix ]] || fail "nothing installed in $prefix (run the install step first)"
  local out=$work/pkgconfig-consumer pc
  rm -rf "$out"
  mkdir -p "$out"
  pc=$(dirname "$(find "$prefix" -name httpfsm.pc -print -quit)")
  export PKG_CONFIG_PATH=$pc
  local modversion
  modversion=$(pkg-config --modversion httpfsm)
  [[ $modversion == "$version" ]] || fail "pkg-config --modversion: $modversion, expected $version"
  # C++ users need -std=c++20; C users of the static library need the C++ runtime, which
  # Libs.private carries (pkg-config --static). A shared libhttpfsm.so brings its own.
  local -a c_libs
  if [[ $shared == 1 ]]; then c_libs=(--libs); else c_libs=(--static --libs); fi
  # shellcheck disable=SC2046,SC2086  # flags are word lists on purpose
  "$cxx" -std=c++20 "${warnings[@]}" $cxxflags "$here/common/consumer.cc" \
    $(pkg-config --cflags --libs httpfsm) $ldflags -o "$out/consumer_cxx" ||
    fail "C++ consumer failed to build"
  # shellcheck disable=SC2046,SC2086
  "$cc" -std=c99 "${warnings[@]}" $cflags "$here/common/consumer.c" \
    $(pkg-config --cflags "${c_libs[@]}" httpfsm) $ldflags -o "$out/consumer_c" ||
    fail "C consumer failed to build"
  check_linkage "$out/consumer_cxx"
  check_linkage "$out/consumer_c"
  export LD_LIBRARY_PATH
  LD_LIBRARY_PATH=$(libdir)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  expect_output "$expected_cxx" "$out/consumer_cxx"
  expect_output "$expected_c" "$out/consumer_c"
  # The server library is static with zlib and threads: httpfsm-server.pc names both.
  # shellcheck disable=SC2046,SC2086
  "$cxx" -std=c++20 "${warnings[@]}" $cxxflags "$here/common/consumer_server.cc" \
    $(pkg-config --cflags --libs httpfsm-server) $ldflags -o "$out/consumer_server" ||
    fail "server consumer failed to build"
  check_server "$out/consumer_server"
}

case "$step" in
  install) do_install ;;
  cmake) do_cmake ;;
  pkgconfig) do_pkgconfig ;;
  all)
    # One after the other, not with &&: set -e does not apply inside a && list.
    do_install
    do_cmake
    do_pkgconfig
    ;;
  *) fail "unknown step (install, cmake, pkgconfig or all)" ;;
esac
