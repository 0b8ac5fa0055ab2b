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
///     `.csv`, `.tsv`, `.sgm`, `.sgml`, each optionally followed by `.gz` (so `.dtd`, `.md`, `.py`,
///     extension-less files … are ignored);
///   - a folder that directly holds Reuters SGML files (`.sgm`/`.sgml`[`.gz`]) is a Reuters distribution:
///     only its SGML files are documents; its other files (`README.txt`, `lewis.dtd`,
///     `all-*-strings.lc.txt`, `cat-descriptions_*.txt`, `feldman-*.txt`) are not read. Sub-folders
///     are still walked. So `reuters21578/` gives exactly the 21,578 articles.
/// - A path that does not exist or cannot be read is a `.skipped` warning (`path: cannot read: …`).
enum InputListing {
    static let documentExtensions: Set<String> = ["txt", "text", "jsonl", "ndjson", "json", "csv", "tsv", "sgm", "sgml"]
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

    static func isReutersName(_ name: String) -> Bool {
        let e = documentExtension(name).ext
        return e == "sgm" || e == "sgml"
    }

    /// Expands `paths`; warnings go to `diagnostics` (throwing under `--strict`).
    static func expand(_ paths: [String], diagnostics: Diagnostics) throws -> [String] {
        var out: [String] = []
        for path in paths {
            if path == "-" { out.append("-"); continue }
            var st = stat()
            if stat(path, &st) != 0 {
                try diagnostics.warn(.skipped, at: path, "cannot read: \(String(cString: strerror(errno)))")
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                var found: [String] = []
                let base = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
                try walk(base, depth: 0, into: &found, diagnostics: diagnostics)
                out.append(contentsOf: sortedByBytes(found))
            } else {
                out.append(path)
            }
        }
        return out
    }

    /// Sorts paths by their UTF-8 bytes (memcmp on precomputed byte arrays).
    static func sortedByBytes(_ paths: [String]) -> [String] {
        let keyed = paths.map { (Array($0.utf8), $0) }
        return keyed.sorted { a, b in
            let n = min(a.0.count, b.0.count)
            let c = a.0.withUnsafeBufferPointer { pa in b.0.withUnsafeBufferPointer { pb in memcmp(pa.baseAddress!, pb.baseAddress!, n) } }
            return c != 0 ? c < 0 : a.0.count < b.0.count
        }.map(\.1)
    }

    private static func walk(_ dir: String, depth: Int, into out: inout [String], diagnostics: Diagnostics) throws {
        guard depth < 64 else {
            try diagnostics.warn(.skipped, at: dir, "directory nesting too deep (symbolic link loop?)")
            return
        }
        guard let d = opendir(dir) else {
            try diagnostics.warn(.skipped, at: dir, "cannot read directory: \(String(cString: strerror(errno)))")
            return
        }
        var names: [String] = []
        while let ent = readdir(d) {
            let name = withUnsafeBytes(of: ent.pointee.d_name) { raw -> String in
                let p = raw.bindMemory(to: CChar.self)
                return String(cString: p.baseAddress!)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(d)
        var files: [String] = []
        var subdirs: [String] = []
        for name in names {
            let full = dir == "/" ? "/" + name : dir + "/" + name
            var st = stat()
            if stat(full, &st) != 0 {
                try diagnostics.warn(.skipped, at: full, "cannot read: \(String(cString: strerror(errno)))")
                continue
            }
            let mode = st.st_mode & S_IFMT
            if mode == S_IFDIR { subdirs.append(full); continue }
            guard mode == S_IFREG else { continue }
            let lower = name.lowercased()
            if docPrefixes.contains(where: { lower.hasPrefix($0) }) { continue }
            guard documentExtensions.contains(documentExtension(name).ext) else { continue }
            files.append(full)
        }
        if files.contains(where: isReutersName) {
            files = files.filter(isReutersName)
        }
        out.append(contentsOf: files)
        for sub in subdirs { try walk(sub, depth: depth + 1, into: &out, diagnostics: diagnostics) }
    }
}
