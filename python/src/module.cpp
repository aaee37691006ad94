// The compiled part of the `yike` Python package (yike/_yike): the engine's networks, isochrones,
// distances, coverage, evaluation and planning; yike/__init__.py turns the columns into
// (Geo)DataFrames. yike's errors become Python exceptions with the command's one-line messages.
#include <pybind11/pybind11.h>

#include <exception>
#include <new>

#include "convert.hpp"
#include "yike/error.hpp"

PYBIND11_MODULE(_yike, m) {
    namespace py = pybind11;
    using namespace yike;
    m.doc() = "yike: exact 15-minute walking coverage (compiled part; import yike)";

    // Bad data and unreadable files exit 1 from the command, bad settings too: the classes say
    // which; every one is a yike.Error.
    static py::exception<yike::error> base(m, "Error");
    static py::exception<yike::data_error> data(m, "DataError", base.ptr());
    static py::exception<yike::config_error> config(m, "ConfigError", base.ptr());
    static py::exception<python::usage_error> usage(m, "UsageError", base.ptr());
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const python::usage_error& e) {
            usage(e.what());
        } catch (const yike::config_error& e) {
            config(e.what());
        } catch (const yike::data_error& e) {
            data(e.what());
        } catch (const yike::io_error& e) {
            data(e.what()); // a missing or unreadable file is bad input data, as for the command
        } catch (const yike::error& e) {
            base(e.what());
        }
    });

    python::bind_network(m);
    python::bind_runs(m);
}
