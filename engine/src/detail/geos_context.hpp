#pragma once
// RAII over the reentrant GEOS C API: one context handle per object, GEOS errors turned into
// yike::data_error, geometries and coordinate sequences owned by unique_ptrs.
#include <geos_c.h>

#include <memory>
#include <string>
#include <string_view>

#include "yike/error.hpp"

namespace yike::engine::detail {

struct GeomDeleter {
    GEOSContextHandle_t handle = nullptr;
    void operator()(GEOSGeometry* g) const noexcept {
        if (g != nullptr) {
            GEOSGeom_destroy_r(handle, g);
        }
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct CoordSeqDeleter {
    GEOSContextHandle_t handle = nullptr;
    void operator()(GEOSCoordSequence* s) const noexcept {
        if (s != nullptr) {
            GEOSCoordSeq_destroy_r(handle, s);
        }
    }
};
using CoordSeqPtr = std::unique_ptr<GEOSCoordSequence, CoordSeqDeleter>;

struct BufferParamsDeleter {
    GEOSContextHandle_t handle = nullptr;
    void operator()(GEOSBufferParams* p) const noexcept {
        if (p != nullptr) {
            GEOSBufferParams_destroy_r(handle, p);
        }
    }
};
using BufferParamsPtr = std::unique_ptr<GEOSBufferParams, BufferParamsDeleter>;

struct PreparedDeleter {
    GEOSContextHandle_t handle = nullptr;
    void operator()(const GEOSPreparedGeometry* p) const noexcept {
        if (p != nullptr) {
            GEOSPreparedGeom_destroy_r(handle, p);
        }
    }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

// Not copyable or movable: GEOS keeps a pointer to this object for its error handler.
class GeosContext {
public:
    GeosContext() : m_handle(GEOS_init_r()) {
        if (m_handle == nullptr) {
            throw data_error("GEOS: cannot create a context");
        }
        GEOSContext_setErrorMessageHandler_r(m_handle, &GeosContext::on_error, this);
    }
    ~GeosContext() { GEOS_finish_r(m_handle); }
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;
    GeosContext(GeosContext&&) = delete;
    GeosContext& operator=(GeosContext&&) = delete;

    [[nodiscard]] GEOSContextHandle_t handle() const noexcept { return m_handle; }

    // Takes ownership of a geometry returned by a GEOS call; null means the call failed, which
    // becomes a data_error naming the operation and GEOS's message.
    [[nodiscard]] GeomPtr own(GEOSGeometry* g, std::string_view operation) {
        if (g == nullptr) {
            fail(operation);
        }
        return GeomPtr(g, GeomDeleter{m_handle});
    }
    [[nodiscard]] CoordSeqPtr own(GEOSCoordSequence* s, std::string_view operation) {
        if (s == nullptr) {
            fail(operation);
        }
        return CoordSeqPtr(s, CoordSeqDeleter{m_handle});
    }
    [[nodiscard]] BufferParamsPtr own(GEOSBufferParams* p, std::string_view operation) {
        if (p == nullptr) {
            fail(operation);
        }
        return BufferParamsPtr(p, BufferParamsDeleter{m_handle});
    }

    [[nodiscard]] PreparedPtr own(const GEOSPreparedGeometry* p, std::string_view operation) {
        if (p == nullptr) {
            fail(operation);
        }
        return PreparedPtr(p, PreparedDeleter{m_handle});
    }

    // For predicates and setters: 0 is false, 1 true, anything else (2) an exception.
    bool check(int result, std::string_view operation) {
        if (result != 0 && result != 1) {
            fail(operation);
        }
        return result == 1;
    }
    bool check(char result, std::string_view operation) { return check(static_cast<int>(result), operation); }

    [[noreturn]] void fail(std::string_view operation) {
        std::string message = "GEOS: " + std::string(operation) + " failed";
        if (!m_last_error.empty()) {
            message += ": " + m_last_error;
            m_last_error.clear();
        }
        throw data_error(message);
    }

private:
    static void on_error(const char* message, void* self) {
        static_cast<GeosContext*>(self)->m_last_error = message != nullptr ? message : "";
    }

    GEOSContextHandle_t m_handle;
    std::string m_last_error;
}; // class GeosContext

} // namespace yike::engine::detail
