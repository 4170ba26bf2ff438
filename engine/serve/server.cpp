#include "server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>

#include <httplib.h>

#include "catalog.hpp"
#include "runs.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/scenario/param_table.hpp"

namespace wijksim::serve {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// The parameters the page offers as controls (the seven building blocks first).
const std::vector<std::string> kControls = {
    "building_blocks.trust",          "building_blocks.long_breath",         "building_blocks.resources",
    "building_blocks.process_leadership", "building_blocks.vision",        "building_blocks.anchoring",
    "building_blocks.urgency",        "programme.enabled",                   "programme.plan",
    "programme.rollout_after",        "programme.stop_at_election",          "governance.first_election_after",
    "governance.election_interval"};

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", message}});
}

void send_problems(httplib::Response& res, const InputError& e) {
  json ps = json::array();
  for (const auto& p : e.problems())
    ps.push_back({{"file", p.file}, {"path", p.path}, {"message", p.message}, {"text", p.format()}});
  if (ps.empty()) ps.push_back({{"file", ""}, {"path", ""}, {"message", e.what()}, {"text", e.what()}});
  send_json(res, 400, {{"error", "invalid input"}, {"problems", ps}});
}

// Runs a handler, turning the engine's errors into HTTP answers: the server never dies of a request.
template <class F>
void guarded(httplib::Response& res, F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    send_problems(res, e);
  } catch (const BudgetError& e) {
    send_error(res, 422, e.what());
  } catch (const std::bad_alloc&) {
    send_error(res, 503, "out of memory");
  } catch (const std::exception& e) {
    send_error(res, 500, e.what());
  }
}

json controls_json() {
  json out = json::array();
  for (const auto& path : kControls) {
    const ParamDef* d = find_param(path);
    if (!d) continue;
    const char* kind = d->kind == ParamKind::real ? "real" : d->kind == ParamKind::integer ? "integer"
                       : d->kind == ParamKind::boolean ? "boolean" : "choice";
    json j = {{"path", d->path}, {"kind", kind}, {"unit", std::string(unit_name(d->unit))}, {"min", d->min},
              {"max", d->max},   {"meaning", d->meaning}, {"source", d->source}};
    if (d->kind == ParamKind::choice) {
      j["choices"] = d->choices;
      j["default"] = d->choices.at(static_cast<std::size_t>(d->default_value));
    } else if (d->kind == ParamKind::boolean) {
      j["default"] = d->default_value != 0;
    } else {
      j["default"] = d->default_value;
    }
    out.push_back(j);
  }
  return out;
}

std::string self_exe() {
  std::error_code ec;
  const auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("wijksim") : p.string();
}

}  // namespace

int run_server(const ServeOptions& o, std::atomic<bool>& stop) {
  const Catalog catalog(o.data_dir);
  std::string work = o.work_dir;
  bool own_work = false;
  if (work.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "wijksim-serve-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw RuntimeFailure("cannot create a temporary folder for runs");
    work = tmpl;
    own_work = true;
  }
  RunOptions ro;
  ro.threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  ro.memory_budget = o.memory_budget;
  ro.work_dir = work;
  ro.scenarios_dir = o.scenarios_dir;
  ro.self_exe = self_exe();
  auto runs = std::make_unique<RunManager>(catalog, ro);
  const json gemeenten = [&] {
    json a = json::array();
    for (const auto& g : catalog.gemeenten()) a.push_back({{"code", g.code}, {"name", g.name}, {"residents", g.residents}});
    return a;
  }();
  const std::string gemeenten_text = gemeenten.dump();
  const std::string controls_text = controls_json().dump();

  httplib::Server svr;
  svr.set_payload_max_length(o.max_body);
  // Debian's compiled cpp-httplib listens with a backlog of 5: a burst of connections then
  // overflows the accept queue and clients see resets. Keep the listening socket to enlarge it.
  std::atomic<int> listen_fd{-1};
  svr.set_socket_options([&listen_fd](int sock) {
    httplib::default_socket_options(sock);
    listen_fd = sock;
  });
  // Request threads: enough for a browser's parallel requests and polling clients at once.
  svr.new_task_queue = [] { return new httplib::ThreadPool(16); };
  // Nothing on the page may come from elsewhere.
  svr.set_default_headers({{"Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                            "connect-src 'self'; object-src 'none'; base-uri 'none'"},
                           {"X-Content-Type-Options", "nosniff"},
                           {"Cache-Control", "no-store"}});
  if (!o.web_dir.empty() && !svr.set_mount_point("/", o.web_dir))
    throw InputError(std::vector<Problem>{{o.web_dir, "--web", "not a folder; expected the page's folder (web/ of the repository)"}});
  if (!o.vendor_dir.empty() && fs::is_directory(o.vendor_dir)) svr.set_mount_point("/vendor", o.vendor_dir);

  svr.Get("/api/health", [&](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, {{"ok", true}, {"active_runs", runs->active_runs()}, {"threads", ro.threads}});
  });
  svr.Get("/api/gemeenten", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(gemeenten_text, "application/json");
  });
  svr.Get(R"(/api/gemeenten/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      const std::string code = req.matches[1];
      json d = catalog.gemeente_detail(code);
      if (d.is_null()) {
        const auto near = catalog.suggestion(code);
        send_error(res, 404, "unknown gemeente \"" + code + "\"" + (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
        return;
      }
      send_json(res, 200, d);
    });
  });
  svr.Get("/api/params", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(controls_text, "application/json");
  });
  svr.Get("/api/scenarios", [&](const httplib::Request&, httplib::Response& res) {
    guarded(res, [&] { send_json(res, 200, runs->shipped_scenarios()); });
  });
  svr.Post("/api/runs", [&](const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      const json body = parse_json_text(req.body, "request");
      const std::string id = runs->submit(body);
      res.set_header("Location", "/api/runs/" + id);
      send_json(res, 201, {{"id", id}, {"url", "/api/runs/" + id}});
    });
  });
  svr.Get(R"(/api/runs/([A-Za-z0-9-]+))", [&](const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      const json s = runs->status(req.matches[1]);
      if (s.is_null()) return send_error(res, 404, "unknown run \"" + std::string(req.matches[1]) + "\"");
      send_json(res, 200, s);
    });
  });
  svr.Delete(R"(/api/runs/([A-Za-z0-9-]+))", [&](const httplib::Request& req, httplib::Response& res) {
    if (!runs->cancel(req.matches[1])) return send_error(res, 404, "unknown run \"" + std::string(req.matches[1]) + "\"");
    send_json(res, 200, {{"id", req.matches[1]}, {"status", "cancelled"}});
  });
  svr.Get(R"(/api/runs/([A-Za-z0-9-]+)/scenario)", [&](const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      const std::string variant = req.has_param("variant") ? req.get_param_value("variant") : "";
      const json doc = runs->scenario_for(req.matches[1], variant);
      if (doc.is_null()) return send_error(res, 404, "unknown run \"" + std::string(req.matches[1]) + "\"");
      const std::string name = doc.value("name", "scenario") + (variant.empty() ? "" : "-" + variant);
      res.set_header("Content-Disposition", "attachment; filename=\"" + cbs::slug(name) + ".json\"");
      res.status = 200;
      res.set_content(doc.dump(2) + "\n", "application/json");
    });
  });
  svr.Get(R"(/api/runs/([A-Za-z0-9-]+)/data\.csv)", [&](const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      std::string text;
      if (!runs->csv(req.matches[1], text)) return send_error(res, 404, "unknown run \"" + std::string(req.matches[1]) + "\"");
      res.set_header("Content-Disposition", "attachment; filename=\"wijksim-" + std::string(req.matches[1]) + ".csv\"");
      res.set_content(text, "text/csv");
    });
  });
  svr.Post(R"(/api/runs/([A-Za-z0-9-]+)/report)", [&](const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      const std::string lang = req.has_param("lang") ? req.get_param_value("lang") : "nl";
      if (lang != "nl" && lang != "en") return send_error(res, 400, "lang: found \"" + lang + "\", expected nl or en");
      const std::string state = runs->start_report(req.matches[1], lang);
      if (state == "none") return send_error(res, 404, "unknown run \"" + std::string(req.matches[1]) + "\"");
      if (state == "not finished") return send_error(res, 409, "the run has not finished (or was cancelled); a report needs every replicate");
      send_json(res, 202, {{"report", state}, {"url", "/api/runs/" + std::string(req.matches[1]) + "/report"}});
    });
  });
  svr.Get(R"(/api/runs/([A-Za-z0-9-]+)/report)", [&](const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      std::string html;
      const std::string state = runs->report_state(req.matches[1], html);
      if (state == "none") return send_error(res, 404, "unknown run, or no report requested (POST first)");
      if (state == "running") return send_json(res, 202, {{"report", state}});
      if (state != "ready") return send_json(res, 500, {{"report", state}, {"error", state}});
      std::ifstream in(html, std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), {});
      res.set_content(text, "text/html; charset=utf-8");
    });
  });
  // Anything else under /api/: 404 for unknown routes, 405 for a known route and a wrong method.
  const std::regex known(R"(/api/(health|gemeenten(/[^/]+)?|params|scenarios|runs(/[A-Za-z0-9-]+(/(scenario|data\.csv|report))?)?))");
  auto fallback = [&](const httplib::Request& req, httplib::Response& res) {
    if (std::regex_match(req.path, known)) send_error(res, 405, "method " + req.method + " not allowed on " + req.path);
    else send_error(res, 404, "unknown route " + req.method + " " + req.path + " (docs/SERVE.md lists the API)");
  };
  svr.Get("/api/.*", fallback);
  svr.Post("/api/.*", fallback);
  svr.Put("/api/.*", fallback);
  svr.Delete("/api/.*", fallback);
  svr.Patch("/api/.*", fallback);
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 413) return send_error(res, 413, "request body too large (wijksim serve --max-body)");
    if (req.path.rfind("/api/", 0) == 0 && res.body.empty()) send_error(res, res.status, "unknown route " + req.method + " " + req.path);
  });
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_error(res, 500, "internal error");
  });

  int port = o.port;
  if (port == 0) {
    port = svr.bind_to_any_port(o.bind);
  } else if (!svr.bind_to_port(o.bind, port)) {
    port = -1;
  }
  if (port < 0) throw RuntimeFailure("cannot listen on " + o.bind + ":" + std::to_string(o.port) + " (in use, or not an address of this machine)");
  if (listen_fd >= 0) ::listen(listen_fd, SOMAXCONN);  // listen() again only changes the backlog
  const std::string host = o.bind.find(':') != std::string::npos ? "[" + o.bind + "]" : o.bind;
  std::cout << "wijksim serve: http://" << host << ":" << port << "/  (" << catalog.gemeenten().size() << " gemeenten, "
            << ro.threads << " simulation threads; Ctrl-C stops)" << std::endl;
  std::atomic<bool> listening_done{false};
  std::thread watcher([&] {
    while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // stop() does nothing before the listen loop runs: repeat until it has returned.
    while (!listening_done.load()) {
      svr.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  svr.listen_after_bind();
  listening_done = true;
  if (!stop.load()) {  // listen failed without a stop request
    stop = true;
  }
  watcher.join();
  runs.reset();  // cancels runs and joins the workers
  if (own_work) {
    std::error_code ec;
    fs::remove_all(work, ec);
  }
  if (!o.quiet) std::cout << "wijksim serve: stopped" << std::endl;
  return 0;
}

}  // namespace wijksim::serve
