// The .xlsx writer: SpreadsheetML parts with inline strings (no shared-string table to keep in
// step) in a zip archive of deflated entries. Every zip timestamp is 1980-01-01 00:00 and there is
// no docProps/core.xml (whose creation time would change the bytes on every run).
#include "yike/io/xlsx_writer.hpp"

#include "detail/atomic_path.hpp"
#include "yike/assert.hpp"
#include "yike/error.hpp"
#include "yike/io/feature_writer.hpp"
#include "yike/io/markup_text.hpp"

#include <zlib.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string_view>

namespace yike::io {

namespace {

std::string xml_text(const std::string& text) { return markup_text(text, Markup::xml); }

std::string column_name(std::size_t index) {
    std::string name;
    for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
    return name;
}

std::string string_cell(const std::string& ref, const std::string& text, bool bold) {
    const bool keep_spaces = !text.empty() && (text.front() == ' ' || text.back() == ' ' || text.find('\n') != std::string::npos);
    return "<c r=\"" + ref + "\" t=\"inlineStr\"" + (bold ? " s=\"1\"" : "") + "><is><t" +
           (keep_spaces ? " xml:space=\"preserve\"" : "") + ">" + xml_text(text) + "</t></is></c>";
}

// The sheet's XML handed to `emit` in pieces of about a megabyte: a million-row sheet is about a
// gigabyte of XML, which is deflated as it is made instead of being held whole.
template <typename Emit>
void sheet_xml(const XlsxSheet& sheet, Emit&& emit) {
    YIKE_ASSERT(!sheet.row_at || sheet.rows.empty());
    const std::size_t rows = sheet.row_at ? sheet.row_count : sheet.rows.size();
    YIKE_ASSERT(rows + 1 <= xlsx_max_rows);
    constexpr std::size_t piece = std::size_t{1} << 20;
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
    x.reserve(piece + piece / 4);
    x += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
         "state=\"frozen\"/></sheetView></sheetViews>";
    bool any_width = false;
    std::string cols = "<cols>";
    for (std::size_t k = 0; k < sheet.column_widths.size(); ++k) {
        if (sheet.column_widths[k] <= 0) continue;
        any_width = true;
        cols += "<col min=\"" + std::to_string(k + 1) + "\" max=\"" + std::to_string(k + 1) + "\" width=\"" +
                format_number(sheet.column_widths[k]) + "\" customWidth=\"1\"/>";
    }
    if (any_width) x += cols + "</cols>";
    x += "<sheetData>";
    x += "<row r=\"1\">";
    for (std::size_t k = 0; k < sheet.header.size(); ++k) x += string_cell(column_name(k) + "1", sheet.header[k], true);
    x += "</row>";
    std::vector<std::string> columns; // the column letters, made once
    std::string ref;
    std::vector<XlsxCell> made;
    for (std::size_t r = 0; r < rows; ++r) {
        const std::string row = std::to_string(r + 2);
        x += "<row r=\"";
        x += row;
        x += "\">";
        if (sheet.row_at) {
            made.clear();
            sheet.row_at(r, made);
        }
        const auto& cells = sheet.row_at ? made : sheet.rows[r];
        while (columns.size() < cells.size()) columns.push_back(column_name(columns.size()));
        for (std::size_t k = 0; k < cells.size(); ++k) {
            ref.assign(columns[k]).append(row);
            if (const auto* s = std::get_if<std::string>(&cells[k])) {
                if (!s->empty()) x += string_cell(ref, *s, false);
            } else if (const auto* d = std::get_if<double>(&cells[k])) {
                if (std::isfinite(*d)) {
                    x += "<c r=\"";
                    x += ref;
                    x += "\"><v>";
                    x += format_number(*d);
                    x += "</v></c>";
                }
            }
        }
        x += "</row>";
        if (x.size() >= piece) {
            emit(x);
            x.clear();
        }
    }
    x += "</sheetData></worksheet>\n";
    emit(x);
}

const char* k_styles =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
    "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
    "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
    "</styleSheet>\n";

// Where an archive goes as it is made: a string (xlsx_bytes) or a file (write_xlsx_file), so that
// a million-row sheet's deflated bytes are never held whole.
class ZipSink {
public:
    ZipSink() = default;
    ZipSink(const ZipSink&) = delete;
    ZipSink& operator=(const ZipSink&) = delete;
    virtual ~ZipSink() = default;
    virtual void write(std::string_view bytes) = 0;
    // Overwrites bytes already written at `offset` (an entry's crc and sizes, known at its end).
    virtual void patch(std::size_t offset, std::string_view bytes) = 0;
    [[nodiscard]] std::size_t size() const noexcept { return m_size; }

protected:
    std::size_t m_size = 0;
};

class StringSink final : public ZipSink {
public:
    void write(std::string_view bytes) override {
        m_out.append(bytes);
        m_size += bytes.size();
    }
    void patch(std::size_t offset, std::string_view bytes) override { m_out.replace(offset, bytes.size(), bytes); }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

class FileSink final : public ZipSink {
public:
    FileSink(std::ofstream& file, const std::filesystem::path& path) : m_file(file), m_path(path) {}
    void write(std::string_view bytes) override {
        m_file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        m_size += bytes.size();
        check();
    }
    void patch(std::size_t offset, std::string_view bytes) override {
        m_file.seekp(static_cast<std::streamoff>(offset));
        m_file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        m_file.seekp(0, std::ios::end);
        check();
    }
    void check() const {
        if (!m_file) throw io_error(m_path.string() + ": write failed (disk full?)");
    }

private:
    std::ofstream& m_file;
    const std::filesystem::path& m_path;
};

// Raw deflate (no zlib header), as zip entries hold it, fed in pieces and handed to the sink in
// pieces: zlib's output depends on the bytes, the level and the flushes only, so the pieces give
// the bytes one call would.
// Level 1: on a 147 MB sheet of uncovered households (10^5 way-nodes) it takes 0.7 s of CPU against
// 2.5 s at the default level 6, for a file 20 % larger (29 against 24 MB).
class Deflater {
public:
    explicit Deflater(ZipSink& out) : m_out(out) {
        YIKE_ASSERT(deflateInit2(&m_z, Z_BEST_SPEED, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    }
    Deflater(const Deflater&) = delete;
    Deflater& operator=(const Deflater&) = delete;
    ~Deflater() { deflateEnd(&m_z); }

    void add(std::string_view data) {
        YIKE_ASSERT(m_size + data.size() < 0xFFFFFFFFu); // no zip64
        m_crc = crc32(m_crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
        m_size += data.size();
        run(data, Z_NO_FLUSH);
    }
    void finish() { run({}, Z_FINISH); }
    [[nodiscard]] std::uint32_t crc() const { return static_cast<std::uint32_t>(m_crc); }
    [[nodiscard]] std::uint32_t size() const { return static_cast<std::uint32_t>(m_size); }
    [[nodiscard]] std::size_t packed_size() const { return m_packed; }

private:
    void run(std::string_view data, int flush) {
        m_z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        m_z.avail_in = static_cast<uInt>(data.size());
        while (true) {
            m_z.next_out = reinterpret_cast<Bytef*>(m_buffer.data());
            m_z.avail_out = static_cast<uInt>(m_buffer.size());
            const int status = deflate(&m_z, flush);
            YIKE_ASSERT(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR);
            const std::size_t made = m_buffer.size() - m_z.avail_out;
            m_out.write({m_buffer.data(), made});
            m_packed += made;
            if (status == Z_STREAM_END || (flush == Z_NO_FLUSH && m_z.avail_in == 0 && m_z.avail_out != 0)) break;
        }
    }
    ZipSink& m_out;
    z_stream m_z{};
    uLong m_crc = crc32(0L, Z_NULL, 0);
    std::size_t m_size = 0;
    std::size_t m_packed = 0;
    std::array<char, 1U << 16> m_buffer{};
};

// A zip archive of deflated entries with fixed timestamps. An entry's local header is written
// with a zero crc and sizes, and those are filled in once its data has gone to the sink (the
// bytes are those of a header written after the data was known; no data descriptor).
class Zip {
public:
    explicit Zip(ZipSink& out) : m_out(out) {}

    void add(const std::string& name, std::string_view data) {
        add_streamed(name, [&](Deflater& deflater) { deflater.add(data); });
    }
    // An entry whose data `fill(deflater)` hands over piece by piece.
    template <typename Fill>
    void add_streamed(const std::string& name, Fill&& fill) {
        const std::size_t offset = m_out.size();
        YIKE_ASSERT(offset < 0xFFFFFFFFu); // no zip64
        std::string header;
        u32(header, 0x04034b50);
        entry_fields(header, name, 0, 0, 0);
        header += name;
        m_out.write(header);
        Deflater deflater(m_out);
        fill(deflater);
        deflater.finish();
        YIKE_ASSERT(m_out.size() < 0xFFFFFFFFu); // no zip64
        const auto crc = deflater.crc();
        const auto size = deflater.size();
        const auto packed_size = static_cast<std::uint32_t>(deflater.packed_size());
        std::string known; // crc, compressed and uncompressed size: 14 bytes into the local header
        u32(known, crc);
        u32(known, packed_size);
        u32(known, size);
        m_out.patch(offset + 14, known);
        u32(m_central, 0x02014b50);
        u16(m_central, 20); // made by: MS-DOS attributes, zip 2.0
        entry_fields(m_central, name, crc, packed_size, size);
        u16(m_central, 0);  // comment
        u16(m_central, 0);  // disk
        u16(m_central, 0);  // internal attributes
        u32(m_central, 0);  // external attributes
        u32(m_central, static_cast<std::uint32_t>(offset));
        m_central += name;
        ++m_entries;
    }
    void finish() {
        const auto offset = static_cast<std::uint32_t>(m_out.size());
        std::string end = m_central;
        u32(end, 0x06054b50);
        u16(end, 0);
        u16(end, 0);
        u16(end, m_entries);
        u16(end, m_entries);
        u32(end, static_cast<std::uint32_t>(m_central.size()));
        u32(end, offset);
        u16(end, 0);
        m_out.write(end);
    }

private:
    static void u16(std::string& s, std::uint32_t v) {
        s += static_cast<char>(v & 0xFF);
        s += static_cast<char>((v >> 8) & 0xFF);
    }
    static void u32(std::string& s, std::uint32_t v) {
        u16(s, v & 0xFFFF);
        u16(s, v >> 16);
    }
    static void entry_fields(std::string& s, const std::string& name, std::uint32_t crc, std::uint32_t packed_size,
                             std::uint32_t size) {
        u16(s, 20);     // version needed: 2.0
        u16(s, 0);      // flags
        u16(s, 8);      // deflated
        u16(s, 0);      // time 00:00:00
        u16(s, 0x0021); // date 1980-01-01
        u32(s, crc);
        u32(s, packed_size);
        u32(s, size);
        u16(s, static_cast<std::uint32_t>(name.size()));
        u16(s, 0);      // extra field
    }
    ZipSink& m_out;
    std::string m_central;
    std::uint32_t m_entries = 0;
};

// The workbook's parts, in order, into `out`.
void write_workbook(ZipSink& out, const std::vector<XlsxSheet>& sheets) {
    YIKE_ASSERT(!sheets.empty());
    std::string types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                        "<Override PartName=\"/xl/workbook.xml\" "
                        "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                        "<Override PartName=\"/xl/styles.xml\" "
                        "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>";
    std::string workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                           "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>";
    std::string rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
    for (std::size_t k = 0; k < sheets.size(); ++k) {
        const auto& name = sheets[k].name;
        std::size_t characters = 0; // Excel counts characters, not bytes
        for (const char c : name) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
        YIKE_ASSERT(!name.empty() && characters <= 31 && name.find_first_of("[]:*?/\\") == std::string::npos);
        const auto n = std::to_string(k + 1);
        types += "<Override PartName=\"/xl/worksheets/sheet" + n +
                 ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
        workbook += "<sheet name=\"" + xml_text(name) + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
        rels += "<Relationship Id=\"rId" + n +
                "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                "Target=\"worksheets/sheet" + n + ".xml\"/>";
    }
    types += "</Types>\n";
    workbook += "</sheets></workbook>\n";
    rels += "<Relationship Id=\"rId" + std::to_string(sheets.size() + 1) +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
            "Target=\"styles.xml\"/></Relationships>\n";
    Zip zip(out);
    zip.add("[Content_Types].xml", types);
    zip.add("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                           "<Relationship Id=\"rId1\" "
                           "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
                           "Target=\"xl/workbook.xml\"/></Relationships>\n");
    zip.add("xl/workbook.xml", workbook);
    zip.add("xl/_rels/workbook.xml.rels", rels);
    zip.add("xl/styles.xml", k_styles);
    for (std::size_t k = 0; k < sheets.size(); ++k) {
        zip.add_streamed("xl/worksheets/sheet" + std::to_string(k + 1) + ".xml", [&](Deflater& deflater) {
            sheet_xml(sheets[k], [&](const std::string& piece) { deflater.add(piece); });
        });
    }
    zip.finish();
}

} // namespace

std::string xlsx_bytes(const std::vector<XlsxSheet>& sheets) {
    StringSink out;
    write_workbook(out, sheets);
    return out.take();
}

void write_xlsx_file(const std::filesystem::path& path, const std::vector<XlsxSheet>& sheets) {
    detail::AtomicPath temp(path);
    {
        std::ofstream file(temp.temp(), std::ios::binary | std::ios::trunc);
        if (!file) throw io_error(path.string() + ": cannot open for writing");
        FileSink out(file, path);
        write_workbook(out, sheets);
        file.flush();
        out.check();
    }
    temp.commit();
}

} // namespace yike::io
