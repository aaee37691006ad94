#pragma once
// Project-wide error hierarchy. Bad input or environment throws a subclass of yike::error;
// messages name the file (and feature or OSM id) and say what is wrong, in one line.
#include <stdexcept>
#include <string>

namespace yike {

class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
}; // class error

// A file that cannot be opened, read or parsed, or whose content is unusable.
class io_error : public error {
public:
    using error::error;
}; // class io_error

// A setting (profile, standard, option value) that is malformed or out of range.
class config_error : public error {
public:
    using error::error;
}; // class config_error

// A request that cannot be answered with the data given (e.g. a point off the network).
class data_error : public error {
public:
    using error::error;
}; // class data_error

// Raised by YIKE_ASSERT when tests ask for it; a failed assertion is always a bug in yike.
class assert_error : public std::logic_error {
public:
    using std::logic_error::logic_error;
}; // class assert_error

} // namespace yike
