// --access-log FILE and --error-log FILE: standard output (the access log) and standard error
// (start-up lines, warnings, signal reports) go to files the server opened itself, so that
// log rotation needs no pipe: rename the file, send SIGUSR1, and the server reopens the
// names, as nginx does on USR1. The files replace descriptors 1 and 2 with dup2, which is
// atomic: a worker's write lands whole in the old file or in the new one, never nowhere.
#pragma once

#include <string>

namespace httpfsm::server {

struct Config;

// Opens (creating, appending, mode 0644) the configured files and puts them in place of
// standard output and error; a path left empty keeps its stream. Called at start and on each
// SIGUSR1. False, with the reason, when a file cannot be opened: the stream keeps the file
// it had.
bool open_log_files(const std::string& access_log, const std::string& error_log,
                    std::string* error);

}  // namespace httpfsm::server
