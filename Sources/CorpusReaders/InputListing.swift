import CorpusCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expansion of command-line inputs into the ordered list of files to read.
///
/// Rules (documented for the README):
/// - A path named on the command line is always read (whatever its name); `-` is standard input.
/// - A directory is walked recursively; the files found are read in the byte order of their paths
///   (deterministic on every machine). Inside a directory:
///   - hidden entries (name starting with `.`) are skipped, files and folders alike;
///   - documentation files are skipped: names starting with `README`, `LICENSE`, `LICENCE`, `COPYING`,
///     `CHANGELOG` (any case);
///   - only files with a document extension are read: `.txt`, `.text`, `.jsonl`, `.ndjson`, `.json`,
///     `.csv`, `.tsv`, `.sgm`, `.sgml`, `.eml`, `.mbox`, each optionally followed by `.gz` (so `.dtd`, `.md`,
///     `.py` … are ignored) — and files of any other name (numbered Usenet or mail exports without an
///     extension) whose first 16 KiB start with a mail/news header block (`Email.looksLikeMessage`: an
///     optional mbox `From ` line, then at least two `Name: value` header fields, one of them a usual mail or
///     news header such as `From`, `Date`, `Subject`, `Message-ID`, `Newsgroups`, `Path`, `Received`);
///   - a folder that directly holds Reuters SGML files (`.sgm`/`.sgml`[`.gz`]) is a Reuters distribution:
///     only its SGML files are documents; its other files (`README.txt`, `lewis.dtd`,
///     `all-*-strings.lc.txt`, `cat-descriptions_*.txt`, `feldman-*.txt`) are not read. Sub-folders
///     are still walked. So `reuters21578/` gives exactly the 21,578 articles.
///   - with a forced input format (`--input-format text` …), files are read whatever their extension;
///     otherwise the files skipped for their extension are counted and said once per command-line folder.
/// - A path that does not exist or cannot be read is an unreadable input (`Diagnostics.unreadable`).
enum InputListing {
    static let documentExtensions: Set<String> = ["txt", "text", "jsonl", "ndjson", "json", "csv", "tsv", "sgm", "sgml", "eml", "mbox"]
    static let docPrefixes = ["readme", "license", "licence", "copying", "changelog"]

    /// The extension of `name` (lowercased) after removing a trailing `.gz`, and whether `.gz` was there.
    static func documentExtension(_ name: String) -> (ext: String, gz: Bool) {
        var base = Substring(name)
        if let slash = base.lastIndex(of: "/") { base = base[base.index(after: slash)...] }
        var gz = false
        if base.lowercased().hasSuffix(".gz") { base = base.dropLast(3); gz = true }
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return ("", gz) }
        return (base[base.index(after: dot)...].lowercased(), gz)
    }

    /// True when the file at `path` (raw bytes) starts with a mail/news header block (first 16 KiB, not
    /// decompressed): an extension-less Usenet post or mail export.
    static func startsWithMailHeader(_ path: [UInt8]) -> Bool {
        let fd: Int32 = (path + [0]).withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { open($0, O_RDONLY | O_CLOEXEC) }
        }
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 16_384)
        var got = 0
        while got < head.count {
            let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        return Email.looksLikeMessage(head[0..<got])
    }

    static func isReutersName(_ name: String) -> Bool {
        let e = documentExtension(name).ext
        return e == "sgm" || e == "sgml"
    }

    /// One file to read: its path as raw bytes (file names need not be UTF-8) and as shown in messages and
    /// `source` (`displayName`: invalid UTF-8 and control characters escaped).
    struct Entry {
        var bytes: [UInt8]
        var display: String
    }

    /// A path as shown to people: valid UTF-8 is kept, each invalid byte becomes `\xNN`, and control
    /// characters (C0, DEL, C1) are escaped (`\n`, `\r`, `\t`, `\xNN`, `\u{85}`), so that a file name never
    /// puts raw control characters or line ends on stderr.
    public static func displayName(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            var len = 1
            if b0 >= 0xC2 && b0 <= 0xDF { len = 2 } else if b0 >= 0xE0 && b0 <= 0xEF { len = 3 } else if b0 >= 0xF0 && b0 <= 0xF4 { len = 4 }
            var scalar: Unicode.Scalar? = nil
            if b0 < 0x80 {
                scalar = Unicode.Scalar(b0)
            } else if len > 1 && i + len <= bytes.count {
                var it = bytes[i..<(i + len)].makeIterator()
                var decoder = UTF8()
                if case .scalarValue(let v) = decoder.decode(&it), v.utf8.count == len { scalar = v }
            }
            guard let sc = scalar else {
                out += "\\x" + hex2(b0)
                i += 1
                continue
            }
            i += b0 < 0x80 ? 1 : len
            switch sc.value {
            case 10: out += "\\n"
            case 13: out += "\\r"
            case 9: out += "\\t"
            case 0..<32, 127: out += "\\x" + hex2(UInt8(sc.value))
            case 0x80..<0xA0, 0x2028, 0x2029: out += "\\u{" + String(sc.value, radix: 16) + "}"
            default: out.unicodeScalars.append(sc)
            }
        }
        return out
    }

    private static func hex2(_ b: UInt8) -> String {
        let d = Array("0123456789abcdef".utf8)
        return String(decoding: [d[Int(b >> 4)], d[Int(b & 15)]], as: UTF8.self)
    }

    /// The raw bytes of a command-line path: Swift decodes `argv` with U+FFFD in place of invalid UTF-8,
    /// so an argument holding U+FFFD is looked up in the raw `argv` to get its real bytes back.
    static func rawBytes(ofArgument path: String) -> [UInt8] {
        if path.unicodeScalars.contains("\u{FFFD}") {
            for k in 0..<Int(CommandLine.argc) {
                guard let a = CommandLine.unsafeArgv[k] else { continue }
                let raw = Array(UnsafeBufferPointer(start: UnsafeRawPointer(a).assumingMemoryBound(to: UInt8.self), count: strlen(a)))
                if String(decoding: raw, as: UTF8.self) == path { return raw }
            }
        }
        return Array(path.utf8)
    }

    /// `stat` on a raw-byte path.
    static func statBytes(_ path: [UInt8], _ st: inout Glibc.stat) -> Int32 {
        (path + [0]).withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { stat($0, &st) }
        }
    }

    struct FileID: Hashable {
        var dev: UInt64
        var ino: UInt64
        init(_ st: Glibc.stat) {
            dev = UInt64(st.st_dev)
            ino = UInt64(st.st_ino)
        }
    }

    /// Expands `paths` (display strings, for the tests and the CLI).
    static func expand(_ paths: [String], diagnostics: Diagnostics, allExtensions: Bool = false) throws -> [String] {
        try expandEntries(paths, diagnostics: diagnostics, allExtensions: allExtensions).map(\.display)
    }

    /// Expands `paths`; warnings go to `diagnostics` (throwing under `--strict`). With `allExtensions` (a forced
    /// `--input-format`), files in folders are read whatever their extension (hidden and documentation files
    /// are still skipped); otherwise the files skipped for their extension are counted and said once per
    /// folder named on the command line, with how to read them.
    ///
    /// Each file is read once, whatever the number of ways it is reached: files are identified by (device,
    /// inode); a file named again (or reached again through a link) is left out with a note naming both paths,
    /// and a folder already walked (a symbolic link back to a parent: a cycle) is not walked again (a note).
    static func expandEntries(_ paths: [String], diagnostics: Diagnostics, allExtensions: Bool = false) throws -> [Entry] {
        var out: [Entry] = []
        var seenFiles: [FileID: String] = [:]
        var seenDirs: [FileID: String] = [:]
        func add(_ e: Entry, _ id: FileID) throws {
            if let first = seenFiles[id] {
                try diagnostics.warn(.note, at: e.display, "the same file as \(first) (already read); read once")
                return
            }
            seenFiles[id] = e.display
            out.append(e)
        }
        for path in paths {
            if path == "-" { out.append(Entry(bytes: Array("-".utf8), display: "-")); continue }
            let bytes = rawBytes(ofArgument: path)
            let display = displayName(bytes)
            var st = Glibc.stat()
            if statBytes(bytes, &st) != 0 {
                let e = errno
                let reason = String(cString: strerror(e))
                try diagnostics.unreadable(
                    at: display, "cannot read: \(reason)",
                    printed: e == ENOENT ? "corpuskit: no such file or directory: \(display)" : "corpuskit: cannot read \(display): \(reason)")
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                if let first = seenDirs[FileID(st)] {
                    try diagnostics.warn(.note, at: display, "the same folder as \(first) (already read); read once")
                    continue
                }
                var found: [(Entry, FileID)] = []
                var skipped: [[UInt8]] = []
                var base = bytes
                if base.count > 1 && base.last == 47 { base.removeLast() }
                seenDirs[FileID(st)] = displayName(base)
                try walk(
                    base, depth: 0, into: &found, skipped: &skipped, seenDirs: &seenDirs, allExtensions: allExtensions,
                    diagnostics: diagnostics)
                if !skipped.isEmpty {
                    let prefix = base + [47]
                    let examples = sortedByBytes(skipped).prefix(3).map { name -> String in
                        displayName(name.starts(with: prefix) ? Array(name.dropFirst(prefix.count)) : name)
                    }
                    let n = skipped.count
                    try diagnostics.warn(
                        .note, at: display,
                        "\(n) file\(n == 1 ? "" : "s") without a document extension skipped (\(examples.joined(separator: ", "))\(n > 3 ? ", …" : "")); "
                            + "to read \(n == 1 ? "it" : "them"), add --input-format text (or the format they are in), or name \(n == 1 ? "it" : "them") on the command line")
                }
                for (e, id) in sortedEntries(found) { try add(e, id) }
            } else {
                try add(Entry(bytes: bytes, display: display), FileID(st))
            }
        }
        return out
    }

    static func lessBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let n = min(a.count, b.count)
        let c = n == 0 ? 0 : a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in memcmp(pa.baseAddress!, pb.baseAddress!, n) } }
        return c != 0 ? c < 0 : a.count < b.count
    }

    /// Sorts paths by their UTF-8 bytes.
    static func sortedByBytes(_ paths: [String]) -> [String] {
        paths.map { (Array($0.utf8), $0) }.sorted { lessBytes($0.0, $1.0) }.map(\.1)
    }

    static func sortedByBytes(_ paths: [[UInt8]]) -> [[UInt8]] { paths.sorted(by: lessBytes) }

    static func sortedEntries(_ e: [(Entry, FileID)]) -> [(Entry, FileID)] { e.sorted { lessBytes($0.0.bytes, $1.0.bytes) } }

    private static func walk(
        _ dir: [UInt8], depth: Int, into out: inout [(Entry, FileID)], skipped: inout [[UInt8]], seenDirs: inout [FileID: String],
        allExtensions: Bool, diagnostics: Diagnostics
    ) throws {
        guard depth < 64 else {
            try diagnostics.warn(.skipped, at: displayName(dir), "directory nesting too deep (64 levels); not read")
            return
        }
        let d: OpaquePointer? = (dir + [0]).withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { opendir($0) }
        }
        guard let d else {
            try diagnostics.unreadable(at: displayName(dir), "cannot read directory: \(String(cString: strerror(errno)))")
            return
        }
        var names: [[UInt8]] = []
        while let ent = readdir(d) {
            let name = withUnsafeBytes(of: ent.pointee.d_name) { raw -> [UInt8] in
                let p = raw.bindMemory(to: UInt8.self)
                let n = strnlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self), p.count)
                return Array(p[0..<n])
            }
            if name.first == 46 { continue }  // hidden (and . ..)
            names.append(name)
        }
        closedir(d)
        var files: [(Entry, FileID)] = []
        var unknown: [(Entry, FileID)] = []
        var subdirs: [([UInt8], FileID)] = []
        for name in names.sorted(by: lessBytes) {
            let full = dir == [47] ? [47] + name : dir + [47] + name
            var st = Glibc.stat()
            if statBytes(full, &st) != 0 {
                try diagnostics.unreadable(at: displayName(full), "cannot read: \(String(cString: strerror(errno)))")
                continue
            }
            let mode = st.st_mode & S_IFMT
            if mode == S_IFDIR { subdirs.append((full, FileID(st))); continue }
            guard mode == S_IFREG else { continue }
            let nameString = String(decoding: name, as: UTF8.self)
            let lower = nameString.lowercased()
            if docPrefixes.contains(where: { lower.hasPrefix($0) }) { continue }
            let entry = (Entry(bytes: full, display: displayName(full)), FileID(st))
            if documentExtensions.contains(documentExtension(nameString).ext) || startsWithMailHeader(full) {
                files.append(entry)
            } else {
                unknown.append(entry)
            }
        }
        if files.contains(where: { isReutersName(String(decoding: $0.0.bytes, as: UTF8.self)) }) {
            // A Reuters distribution: its other files (lewis.dtd, README.txt …) are not documents.
            files = files.filter { isReutersName(String(decoding: $0.0.bytes, as: UTF8.self)) }
        } else if allExtensions {
            files += unknown
        } else {
            skipped += unknown.map(\.0.bytes)
        }
        out.append(contentsOf: files)
        for (sub, id) in subdirs {
            if let first = seenDirs[id] {
                // A link back to a folder already walked (a cycle, or the same folder twice).
                try diagnostics.warn(.note, at: displayName(sub), "the same folder as \(first) (already read; a symbolic link?); not read again")
                continue
            }
            seenDirs[id] = displayName(sub)
            try walk(sub, depth: depth + 1, into: &out, skipped: &skipped, seenDirs: &seenDirs, allExtensions: allExtensions, diagnostics: diagnostics)
        }
    }
}
