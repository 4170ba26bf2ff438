#include "wijksim/scenario/json_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "wijksim/core/error.hpp"

namespace wijksim {

using json = nlohmann::json;

std::string too_deep_at(const std::string& text) {
  std::size_t depth = 0, line = 1, col = 0;
  bool in_string = false, escaped = false;
  for (char ch : text) {
    if (ch == '\n') {
      ++line;
      col = 0;
    } else {
      ++col;
    }
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') in_string = true;
    else if (ch == '[' || ch == '{') {
      if (++depth > kMaxJsonDepth) return "line " + std::to_string(line) + ", column " + std::to_string(col);
    } else if ((ch == ']' || ch == '}') && depth > 0) {
      --depth;
    }
  }
  return {};
}

std::size_t invalid_utf8_at(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return i;
    }
    i += n + 1;
  }
  return std::string::npos;
}

json read_json_file(const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (invalid_utf8_at(file) != std::string::npos)
    throw InputError(std::vector<Problem>{{file, "", "the file name is not valid UTF-8, expected a UTF-8 name (outputs record it in JSON); rename the file"}});
  if (!fs::exists(file, ec)) throw InputError(std::vector<Problem>{{file, "", "no such file"}});
  if (fs::is_directory(file, ec)) throw InputError(std::vector<Problem>{{file, "", "is a directory, expected a JSON file"}});
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(std::vector<Problem>{{file, "", "cannot be read"}});
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_json_text(std::move(text), file);
}

namespace {

// Line and JSON path (city.wijken[0].residents) of the first number in `text` too large for a
// double; line 0 if none. The parser reports such a number without saying where it is.
std::pair<std::size_t, std::string> locate_overflow(const std::string& text) {
  struct Frame {
    bool object;
    std::string key;
    std::size_t index = 0;
  };
  std::vector<Frame> stack;
  std::size_t line = 1;
  bool in_key = false;
  auto path = [&] {
    std::string p;
    for (const auto& f : stack) {
      if (f.object) p += (p.empty() ? "" : ".") + f.key;
      else p += "[" + std::to_string(f.index) + "]";
    }
    return p;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '\n') {
      ++line;
    } else if (ch == '"') {
      std::string str;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
        else str += text[i];
      }
      if (in_key && !stack.empty() && stack.back().object) stack.back().key = str;
    } else if (ch == '{') {
      stack.push_back({true, "", 0});
      in_key = true;
    } else if (ch == '[') {
      stack.push_back({false, "", 0});
    } else if (ch == '}' || ch == ']') {
      if (!stack.empty()) stack.pop_back();
    } else if (ch == ',') {
      if (!stack.empty() && stack.back().object) in_key = true;
      else if (!stack.empty()) ++stack.back().index;
    } else if (ch == ':') {
      in_key = false;
    } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
      std::size_t end = i;
      while (end < text.size() && std::strchr("+-0123456789.eE", text[end]) && text[end] != 0) ++end;
      const double v = std::strtod(text.substr(i, end - i).c_str(), nullptr);
      if (!std::isfinite(v)) return {line, path()};
      i = end - 1;
    }
  }
  return {0, ""};
}

}  // namespace

json parse_json_text(std::string text, const std::string& file) {
  // A UTF-8 byte-order mark is common in files saved on Windows: accept it.
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  if (const std::string at = too_deep_at(text); !at.empty())
    throw InputError(std::vector<Problem>{{file, "", "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels at " + at +
                                                         ", expected a scenario a few levels deep"}});
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    std::size_t line = 1, col = 1;
    const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    for (std::size_t i = 0; i < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    const auto pos = what.find("syntax error");
    if (pos != std::string::npos) what = what.substr(pos);
    throw InputError(std::vector<Problem>{{file, "", "invalid JSON at line " + std::to_string(line) + ", column " +
                                                         std::to_string(col) + ": " + what}});
  } catch (const json::out_of_range& e) {
    // A number too large for a double (1e999): the parser names it but not where it is.
    std::string what = e.what();
    const auto pos = what.find("number overflow");
    if (pos != std::string::npos) what = what.substr(pos);
    const auto [line, path] = locate_overflow(text);
    if (line > 0)
      throw InputError(std::vector<Problem>{{file, path, "at line " + std::to_string(line) + ": " + what +
                                                             ", expected a finite number (at most about 1.8e308)"}});
    throw InputError(std::vector<Problem>{{file, "", "invalid JSON: " + what + ", expected a finite number"}});
  }
}

}  // namespace wijksim
