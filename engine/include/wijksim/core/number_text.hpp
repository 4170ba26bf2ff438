#pragma once
// The one text form of a number, for messages, CSV and recorded values: whole numbers below
// 1e15 as integers ("52", not "5.2e+01"), anything else in the shortest form that reads back to
// the same double (std::to_chars), so a recorded value is the value that was used.
#include <string>

namespace wijksim {

// Appends v; a non-finite value appends "inf", "-inf" or "nan".
void append_number(std::string& out, double v);
std::string number_text(double v);

}  // namespace wijksim
