// Catch2's main, compiled once for every test executable. A wide console keeps the golden
// diff's side-by-side rows on one line each.
#define CATCH_CONFIG_MAIN
#define CATCH_CONFIG_CONSOLE_WIDTH 200
#include <catch2/catch.hpp>
