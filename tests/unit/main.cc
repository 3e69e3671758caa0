// Test runner for the unit tests of lib/. The *_test.cc files add one
// suite per unit, and Boost.Test provides main().
#define BOOST_TEST_MODULE certhelp
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>
