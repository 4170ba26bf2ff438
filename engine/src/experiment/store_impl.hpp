#pragma once
// The store's internals, shared by the store, export and compare (all in this folder).
#include <memory>

#include "sqlite.hpp"
#include "wijksim/experiment/experiment.hpp"
#include "wijksim/experiment/store.hpp"

namespace wijksim::experiment {

struct Store::Impl {
  explicit Impl(const std::string& file, bool read_only) : db(file, read_only) {}
  sql::Db db;
  std::string dir;
  // Prepared once: the writer commits many runs.
  std::unique_ptr<sql::Stmt> find_run, delete_outcomes, delete_run, insert_run, insert_outcome;
};

// Whether `e` is the experiment whose document is `stored` with more replicates (store.cpp):
// then its store is extended rather than refused.
bool more_replicates_of(const nlohmann::json& stored, const Experiment& e);

}  // namespace wijksim::experiment
