#if canImport(Glibc)
import Glibc
#endif

/// A JSON value for manifests (`analyze`'s manifest.json) and other small JSON documents.
/// Objects are written with their keys sorted (UTF-8 byte order), so the same content gives the
/// same bytes.
public indirect enum JSONValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    case null
    case bool(Bool)
    case int(Int64)
    /// Written in shortest round-trip form; non-finite values as `null`.
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var d: [String: JSONValue] = [:]
        for (k, v) in elements { d[k] = v }
        self = .object(d)
    }
    public init(nilLiteral: ()) { self = .null }
    public init(_ v: Int) { self = .int(Int64(v)) }
    public init(_ v: String?) { self = v.map { .string($0) } ?? .null }

    /// The JSON text; `pretty` indents by two spaces, one member a line.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(to out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let v): out += String(v)
        case .double(let d): out += NumberFormat.json(d)
        case .string(let s): out += JSONEscaping.quote(s)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: " ", count: indent + 2) }
                v.write(to: &out, pretty: pretty, indent: indent + 2)
            }
            if pretty { out += "\n" + String(repeating: " ", count: indent) }
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            let keys = o.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (i, k) in keys.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: " ", count: indent + 2) }
                out += JSONEscaping.quote(k)
                out += pretty ? ": " : ":"
                o[k]!.write(to: &out, pretty: pretty, indent: indent + 2)
            }
            if pretty { out += "\n" + String(repeating: " ", count: indent) }
            out += "}"
        }
    }
}

/// Writing a manifest (or any JSON document) atomically: a temporary file beside `path`, renamed
/// into place; a trailing newline.
public enum Manifest {
    /// The manifest's file name in an `analyze` folder.
    public static let fileName = "manifest.json"

    /// Whether the file at `path` is a manifest written by `corpuskit analyze`: a pretty-printed JSON object
    /// (as `write` makes it) whose members include `corpuskit_version` and `tables`. This is what lets
    /// `analyze -o DIR` replace an earlier analyze folder and refuse any other non-empty folder.
    public static func isAnalyzeManifest(atPath path: String) -> Bool {
        guard let bytes = try? JSONValue.readFile(path) else { return false }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.hasPrefix("{\n") && text.hasSuffix("}\n")
            && text.contains("\n  \"corpuskit_version\": \"") && text.contains("\n  \"tables\": {")
    }

    public static func write(_ value: JSONValue, to path: String, pretty: Bool = true) throws {
        let sink = try ByteSink.atomicFile(path, bufferBytes: 1 << 16)
        do {
            try sink.append(value.serialized(pretty: pretty))
            try sink.append(10)
            try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
    }

    /// Writes `bytes` to `path` atomically (temporary file + rename).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let sink = try ByteSink.atomicFile(path, bufferBytes: max(4096, min(bytes.count, 1 << 20)))
        do {
            try sink.append(bytes)
            try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
    }
}
