#pragma once
// A thin RAII layer over SQLite's C API, private to the experiment code. Every failure is a
// RuntimeFailure naming the database and SQLite's message.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "wijksim/core/error.hpp"

namespace wijksim::experiment::sql {

// "SQLite on FILE: message", so a failing statement names its database like Db::exec does; a
// full disk says so in the words every other writer uses ("(disk full)").
inline std::string failure(sqlite3* db) {
  const char* file = sqlite3_db_filename(db, "main");
  return std::string("SQLite") + (file && *file ? std::string(" on ") + file : std::string()) + ": " +
         sqlite3_errmsg(db) + ((sqlite3_errcode(db) & 0xff) == SQLITE_FULL ? " (disk full)" : "");
}

class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK)
      throw RuntimeFailure(failure(db) + " in: " + sql);
  }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(st_, i, v)); }
  Stmt& bind(int i, int v) { return check(sqlite3_bind_int64(st_, i, v)); }
  Stmt& bind(int i, std::uint32_t v) { return check(sqlite3_bind_int64(st_, i, v)); }
  Stmt& bind(int i, std::uint64_t v) { return check(sqlite3_bind_int64(st_, i, static_cast<std::int64_t>(v))); }
  Stmt& bind(int i, double v) { return check(sqlite3_bind_double(st_, i, v)); }
  Stmt& bind(int i, const std::string& v) {
    return check(sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  // Text that outlives the statement's use (string literals, names in static tables): no copy.
  Stmt& bind_static(int i, std::string_view v) {
    return check(sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
  }
  Stmt& bind_null(int i) { return check(sqlite3_bind_null(st_, i)); }

  // True while there is a row to read.
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw RuntimeFailure(failure(db_));
  }
  void reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(st_, col); }
  double real(int col) const { return sqlite3_column_double(st_, col); }
  bool is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(st_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st_, col))) : std::string();
  }

 private:
  Stmt& check(int rc) {
    if (rc != SQLITE_OK) throw RuntimeFailure(failure(db_));
    return *this;
  }
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

class Db {
 public:
  Db(const std::string& file, bool read_only) : file_(file) {
    const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(file.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw RuntimeFailure("cannot open " + file + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
      const std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw RuntimeFailure("SQLite on " + file_ + ": " + msg + ((rc & 0xff) == SQLITE_FULL ? " (disk full)" : ""));
    }
  }
  sqlite3* get() const { return db_; }
  const std::string& file() const { return file_; }

  // Runs fn inside BEGIN IMMEDIATE ... COMMIT; rolls back and rethrows if anything throws, so
  // the database holds all of fn's writes or none.
  template <class F>
  void transaction(F&& fn) {
    exec("BEGIN IMMEDIATE");
    try {
      fn();
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

 private:
  std::string file_;
  sqlite3* db_ = nullptr;
};

}  // namespace wijksim::experiment::sql
