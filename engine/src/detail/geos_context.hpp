#pragma once
// RAII over the reentrant GEOS C API: one context handle per object, GEOS errors turned into
// yike::data_error, geometries and coordinate sequences owned by unique_ptrs.
#include <geos_c.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "yike/error.hpp"

namespace yike::engine::detail {

// Frees a GEOS object with the destroy function of its kind, in the context that made it.
template <class T, auto Destroy>
struct GeosDeleter {
    GEOSContextHandle_t handle = nullptr;
    void operator()(T* p) const noexcept {
        if (p != nullptr) {
            Destroy(handle, p);
        }
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeosDeleter<GEOSGeometry, &GEOSGeom_destroy_r>>;
using CoordSeqPtr = std::unique_ptr<GEOSCoordSequence, GeosDeleter<GEOSCoordSequence, &GEOSCoordSeq_destroy_r>>;
using BufferParamsPtr = std::unique_ptr<GEOSBufferParams, GeosDeleter<GEOSBufferParams, &GEOSBufferParams_destroy_r>>;
using PreparedPtr =
    std::unique_ptr<const GEOSPreparedGeometry, GeosDeleter<const GEOSPreparedGeometry, &GEOSPreparedGeom_destroy_r>>;

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

    // Takes ownership of a geometry (coordinate sequence, buffer parameters, prepared geometry)
    // returned by a GEOS call; null means the call failed, which becomes a data_error naming the
    // operation and GEOS's message.
    [[nodiscard]] GeomPtr own(GEOSGeometry* g, std::string_view operation) { return owned<GeomPtr>(g, operation); }
    [[nodiscard]] CoordSeqPtr own(GEOSCoordSequence* s, std::string_view operation) { return owned<CoordSeqPtr>(s, operation); }
    [[nodiscard]] BufferParamsPtr own(GEOSBufferParams* p, std::string_view operation) {
        return owned<BufferParamsPtr>(p, operation);
    }
    [[nodiscard]] PreparedPtr own(const GEOSPreparedGeometry* p, std::string_view operation) {
        return owned<PreparedPtr>(p, operation);
    }

    // A polygon of `shell` and `holes`, or a collection of GEOS type `type` (GEOS_MULTIPOLYGON...)
    // of `parts`: the new geometry owns what it is made of; when GEOS fails, the parts are freed
    // here and the failure is a data_error.
    [[nodiscard]] GeomPtr polygon(GeomPtr shell, std::vector<GeomPtr> holes) {
        std::vector<GEOSGeometry*> raw = raw_pointers(holes);
        GEOSGeometry* p = GEOSGeom_createPolygon_r(m_handle, shell.get(), raw.data(), static_cast<unsigned int>(raw.size()));
        if (p == nullptr) {
            fail("GEOSGeom_createPolygon");
        }
        (void)shell.release();
        release_all(holes);
        return GeomPtr(p, {m_handle});
    }
    [[nodiscard]] GeomPtr collection(int type, std::vector<GeomPtr> parts) {
        std::vector<GEOSGeometry*> raw = raw_pointers(parts);
        GEOSGeometry* c = GEOSGeom_createCollection_r(m_handle, type, raw.data(), static_cast<unsigned int>(raw.size()));
        if (c == nullptr) {
            fail("GEOSGeom_createCollection");
        }
        release_all(parts);
        return GeomPtr(c, {m_handle});
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
    template <class Ptr>
    Ptr owned(typename Ptr::pointer p, std::string_view operation) {
        if (p == nullptr) {
            fail(operation);
        }
        return Ptr(p, {m_handle});
    }
    static std::vector<GEOSGeometry*> raw_pointers(const std::vector<GeomPtr>& owned) {
        std::vector<GEOSGeometry*> raw;
        raw.reserve(owned.size());
        for (const GeomPtr& g : owned) {
            raw.push_back(g.get());
        }
        return raw;
    }
    static void release_all(std::vector<GeomPtr>& owned) noexcept {
        for (GeomPtr& g : owned) {
            (void)g.release();
        }
    }

    static void on_error(const char* message, void* self) {
        static_cast<GeosContext*>(self)->m_last_error = message != nullptr ? message : "";
    }

    GEOSContextHandle_t m_handle;
    std::string m_last_error;
}; // class GeosContext

} // namespace yike::engine::detail
