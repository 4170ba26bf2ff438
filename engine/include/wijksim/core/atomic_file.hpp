#pragma once
// Writing output so that a reader sees the complete result or nothing: every file is written
// under a temporary name next to its target ("NAME.tmp-PID", NAME shortened so the whole fits
// NAME_MAX), every write and the close are checked, file and folder are fsynced, and only then
// is the temporary renamed to the target. On failure, and on SIGINT/SIGTERM, the temporary is
// removed; temporaries left by processes that no longer exist (SIGKILL, power cut) are removed
// by the next writer of the same target.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace wijksim {

// The temporary name of `target` for process `pid` ("tmp") or for a replaced folder ("old").
std::filesystem::path temporary_name(const std::filesystem::path& target, const char* tag = "tmp", pid_t pid = -1);
// Removes temporaries of `target` whose process is gone; returns how many.
std::size_t remove_stale_temporaries(const std::filesystem::path& target);
// fsync of a folder, so a rename in it survives a power cut.
void sync_folder(const std::filesystem::path& dir);

// A file opened for writing (created, never replacing one) whose writes and close are checked:
// a full disk is an error, not a short file.
class CheckedFile {
 public:
  explicit CheckedFile(const std::filesystem::path& file);
  ~CheckedFile();
  CheckedFile(const CheckedFile&) = delete;
  CheckedFile& operator=(const CheckedFile&) = delete;
  void write(std::string_view text);
  // Appends the whole content of another file.
  void append_file(const std::filesystem::path& file);
  // fsync, then close; both checked.
  void close();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// A file written under its temporary name and renamed to the target by commit().
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  void write(std::string_view text) { file_.write(text); }
  // Closes and syncs the temporary; a later rename() puts it in place. For several files
  // that belong together: prepare() all, then rename() all.
  void prepare();
  void rename();
  void commit() {
    prepare();
    rename();
  }

 private:
  std::filesystem::path target_, tmp_;
  CheckedFile file_;
  bool prepared_ = false, committed_ = false;
  int slot_ = -1;
};

void write_file_atomically(const std::filesystem::path& target, std::string_view text);

// A folder filled under its temporary name and renamed to the target by commit().
class AtomicFolder {
 public:
  explicit AtomicFolder(std::filesystem::path target);
  ~AtomicFolder();
  AtomicFolder(const AtomicFolder&) = delete;
  AtomicFolder& operator=(const AtomicFolder&) = delete;
  const std::filesystem::path& path() const { return tmp_; }
  // Puts the folder in place. Without `replace`, an existing target (even one created by
  // another process since the start) is an error; with it, the old folder is swapped out in
  // one step where the file system allows it.
  void commit(bool replace);

 private:
  std::filesystem::path target_, tmp_;
  bool committed_ = false;
  int slot_ = -1;
};

// Removed on SIGINT/SIGTERM (for paths written by other means, e.g. SQLite stores being
// built); and a child process group killed with the parent.
int register_for_cleanup(const std::filesystem::path& path, bool folder);
void unregister_cleanup(int slot);
void kill_on_signal(pid_t process_group);
// From now on SIGINT/SIGTERM remove what is registered, say "wijksim: stopped by SIGINT" and end
// the process by that signal (exit status 130/143 in a shell), even while nothing is being
// written yet: for commands that read or compute for a while before they write.
void stop_cleanly_on_signal();

}  // namespace wijksim
