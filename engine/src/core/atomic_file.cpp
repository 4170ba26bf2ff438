#include "wijksim/core/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "wijksim/core/error.hpp"

namespace wijksim {

namespace fs = std::filesystem;

namespace {

// Bytes kept of a target's name in its temporary name: NAME_MAX (255) minus ".tmp-" and a
// pid of up to 10 digits. Fixed, so every process derives the same prefix for a target.
constexpr std::size_t kKeptNameBytes = NAME_MAX - 15;

std::string kept_name(const fs::path& target) {
  std::string name = target.filename().string();
  if (name.size() <= kKeptNameBytes) return name;
  std::size_t cut = kKeptNameBytes;
  // Never split a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return name.substr(0, cut);
}

std::string failure_text(const std::string& what, const fs::path& file, int err) {
  std::string s = what + " " + file.string() + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) s += " (disk full)";
  return s;
}

// ---- removal on SIGINT/SIGTERM ------------------------------------------------------------
// The handler may only call async-signal-safe functions, so paths live in fixed buffers and a
// folder is emptied with getdents64/unlinkat (one level: the folders written here are flat).

struct Slot {
  std::atomic<int> state{0};  // 0 free, 1 being filled, 2 armed
  bool folder = false;
  char path[PATH_MAX] = {};
};
Slot g_slots[16];
std::atomic<pid_t> g_child_group{0};
std::atomic<bool> g_installed{false};

void empty_and_remove_folder(const char* path) {
  // Worker threads may still be adding a file while this runs: retry a few times.
  for (int attempt = 0; attempt < 20; ++attempt) {
    const int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    alignas(8) char buf[8192];
    for (;;) {
      const long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
      if (n <= 0) break;
      for (long off = 0; off < n;) {
        unsigned short reclen = 0;  // struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name
        std::memcpy(&reclen, buf + off + 16, sizeof reclen);
        const char* name = buf + off + 19;
        if (!(name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))) unlinkat(fd, name, 0);
        off += reclen;
      }
    }
    close(fd);
    if (rmdir(path) == 0 || errno == ENOENT) return;
  }
}

void on_stop_signal(int sig) {
  const int saved = errno;
  if (const pid_t g = g_child_group.load(); g > 0) kill(-g, SIGKILL);
  bool removed = false;
  for (auto& s : g_slots) {
    if (s.state.load() != 2) continue;
    if (s.folder) empty_and_remove_folder(s.path);
    else unlink(s.path);
    removed = true;
  }
  const char* msg = sig == SIGTERM ? "wijksim: stopped by SIGTERM" : "wijksim: stopped by SIGINT";
  ssize_t ignored = write(2, msg, std::strlen(msg));
  const char* tail = removed ? "; unfinished output removed, nothing written\n" : "\n";
  ignored = write(2, tail, std::strlen(tail));
  (void)ignored;
  errno = saved;
  signal(sig, SIG_DFL);  // die of the signal, as the caller expects
  raise(sig);
}

// Installs the handler where the signal has its default action (a command with its own
// handler, such as `experiment`'s graceful stop, keeps it).
void install_handlers() {
  if (g_installed.exchange(true)) return;
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction old {};
    if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO)) continue;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, nullptr);
  }
}

// "NAME.tmp-" or "NAME.old-" followed by the pid (and perhaps a helper's own temporary of it,
// ".tmp-CHILDPID"): the first pid, else -1.
pid_t temporary_pid(const std::string& entry, const std::string& kept) {
  if (entry.size() <= kept.size() + 5 || entry.compare(0, kept.size(), kept) != 0) return -1;
  const std::string rest = entry.substr(kept.size());
  if (rest.compare(0, 5, ".tmp-") != 0 && rest.compare(0, 5, ".old-") != 0) return -1;
  long long pid = 0;
  std::size_t i = 5;
  for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9' && pid < 100'000'000; ++i) pid = pid * 10 + (rest[i] - '0');
  if (i == 5 || (i < rest.size() && rest.compare(i, 5, ".tmp-") != 0)) return -1;
  return pid > 0 ? static_cast<pid_t>(pid) : -1;
}

fs::path fresh_temporary(const fs::path& target, bool folder) {
  remove_stale_temporaries(target);
  fs::path tmp = temporary_name(target);
  std::error_code ec;
  if (folder) fs::remove_all(tmp, ec);  // a folder of an earlier process with our pid
  else fs::remove(tmp, ec);
  return tmp;
}

}  // namespace

fs::path temporary_name(const fs::path& target, const char* tag, pid_t pid) {
  if (pid < 0) pid = getpid();
  return target.parent_path() / (kept_name(target) + "." + tag + "-" + std::to_string(pid));
}

std::size_t remove_stale_temporaries(const fs::path& target) {
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string kept = kept_name(target);
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const pid_t pid = temporary_pid(it->path().filename().string(), kept);
    if (pid <= 0 || pid == getpid()) continue;
    if (kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    std::error_code rm;
    fs::remove_all(it->path(), rm);
    if (!rm) ++removed;
  }
  return removed;
}

void sync_folder(const fs::path& dir) {
  const int fd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw RuntimeFailure(failure_text("cannot open folder", dir, errno));
  const int rc = fsync(fd), err = errno;
  close(fd);
  if (rc != 0 && err != EINVAL && err != EROFS) throw RuntimeFailure(failure_text("cannot sync folder", dir, err));
}

// ---- CheckedFile --------------------------------------------------------------------------

CheckedFile::CheckedFile(const fs::path& file) : path_(file) {
  fd_ = open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd_ < 0) throw RuntimeFailure(failure_text("cannot create", file, errno));
}

CheckedFile::~CheckedFile() {
  if (fd_ >= 0) ::close(fd_);
}

void CheckedFile::write(std::string_view text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw RuntimeFailure(failure_text("cannot write", path_, errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

void CheckedFile::append_file(const fs::path& file) {
  const int in = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) throw RuntimeFailure(failure_text("cannot read", file, errno));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = read(in, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(in);
      throw RuntimeFailure(failure_text("cannot read", file, err));
    }
    try {
      write(std::string_view(buf, static_cast<std::size_t>(n)));
    } catch (...) {
      ::close(in);
      throw;
    }
  }
  ::close(in);
}

void CheckedFile::close() {
  if (fd_ < 0) return;
  const int fd = fd_;
  fd_ = -1;
  if (fsync(fd) != 0 && errno != EINVAL) {
    const int err = errno;
    ::close(fd);
    throw RuntimeFailure(failure_text("cannot write", path_, err));
  }
  if (::close(fd) != 0) throw RuntimeFailure(failure_text("cannot write", path_, errno));
}

// ---- AtomicFile ---------------------------------------------------------------------------

AtomicFile::AtomicFile(fs::path target)
    : target_(std::move(target)), tmp_(fresh_temporary(target_, false)), file_(tmp_) {
  slot_ = register_for_cleanup(tmp_, false);
}

AtomicFile::~AtomicFile() {
  if (!committed_) ::unlink(tmp_.c_str());
  unregister_cleanup(slot_);
}

void AtomicFile::prepare() {
  if (prepared_) return;
  file_.close();
  prepared_ = true;
}

void AtomicFile::rename() {
  prepare();
  if (::rename(tmp_.c_str(), target_.c_str()) != 0)
    throw RuntimeFailure("cannot rename " + tmp_.string() + " to " + target_.string() + ": " + std::strerror(errno));
  committed_ = true;
  unregister_cleanup(slot_);
  slot_ = -1;
  sync_folder(target_.parent_path());
}

void write_file_atomically(const fs::path& target, std::string_view text) {
  AtomicFile f(target);
  f.write(text);
  f.commit();
}

// ---- AtomicFolder -------------------------------------------------------------------------

AtomicFolder::AtomicFolder(fs::path target) : target_(std::move(target)), tmp_(fresh_temporary(target_, true)) {
  std::error_code ec;
  if (!fs::create_directory(tmp_, ec)) throw RuntimeFailure("cannot create " + tmp_.string() + ": " + ec.message());
  slot_ = register_for_cleanup(tmp_, true);
}

AtomicFolder::~AtomicFolder() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }
  unregister_cleanup(slot_);
}

void AtomicFolder::commit(bool replace) {
  sync_folder(tmp_);
  const fs::path parent = target_.parent_path();
  if (renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE) == 0) {
    // in place
  } else if (errno == EEXIST && !replace) {
    // Only an empty folder may be taken over without --force (rename replaces an empty one
    // atomically and fails on one that another process has filled meanwhile).
    if (::rename(tmp_.c_str(), target_.c_str()) != 0)
      throw InputError(std::vector<Problem>{{target_.string(), "",
                                              "was written by another process while this run was simulating; "
                                              "not replaced (pass --force to replace it)"}});
  } else if (errno == EEXIST) {
    // Swap old and new in one step, so there is no moment without a complete folder at the
    // target; the temporary name then holds the old folder, which is removed.
    if (renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) != 0) {
      const fs::path old = temporary_name(target_, "old");  // file systems without RENAME_EXCHANGE
      fs::rename(target_, old);
      fs::rename(tmp_, target_);
      std::error_code ec;
      fs::remove_all(old, ec);
      committed_ = true;
    }
  } else if (errno == EINVAL || errno == ENOSYS) {  // no RENAME_NOREPLACE here
    std::error_code ec;
    if (fs::exists(target_, ec) && !replace && !fs::is_empty(target_, ec))
      throw InputError(std::vector<Problem>{{target_.string(), "", "exists; not replaced (pass --force to replace it)"}});
    if (fs::exists(target_, ec) && replace) {
      const fs::path old = temporary_name(target_, "old");
      fs::rename(target_, old);
      fs::rename(tmp_, target_);
      fs::remove_all(old, ec);
    } else {
      fs::rename(tmp_, target_);
    }
    committed_ = true;
  } else {
    throw RuntimeFailure("cannot rename " + tmp_.string() + " to " + target_.string() + ": " + std::strerror(errno));
  }
  if (!committed_) {
    committed_ = true;
    std::error_code ec;
    fs::remove_all(tmp_, ec);  // after an exchange: the old folder; else nothing there
  }
  unregister_cleanup(slot_);
  slot_ = -1;
  sync_folder(parent);
}

// ---- registry -----------------------------------------------------------------------------

int register_for_cleanup(const fs::path& path, bool folder) {
  const std::string s = fs::absolute(path).string();
  if (s.size() >= PATH_MAX) return -1;
  install_handlers();
  for (int i = 0; i < static_cast<int>(std::size(g_slots)); ++i) {
    int expected = 0;
    if (!g_slots[i].state.compare_exchange_strong(expected, 1)) continue;
    g_slots[i].folder = folder;
    std::memcpy(g_slots[i].path, s.c_str(), s.size() + 1);
    g_slots[i].state.store(2);
    return i;
  }
  return -1;  // all in use: the temporary is then only removed by the next writer
}

void unregister_cleanup(int slot) {
  if (slot >= 0 && slot < static_cast<int>(std::size(g_slots))) g_slots[slot].state.store(0);
}

void stop_cleanly_on_signal() { install_handlers(); }

void kill_on_signal(pid_t process_group) {
  if (process_group > 0) install_handlers();
  g_child_group.store(process_group);
}

}  // namespace wijksim
