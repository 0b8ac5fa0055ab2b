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
///   - with a forced input format (`--input-format text` …), files are read whatever their extension;
///     otherwise the files skipped for their extension are counted and said once per command-line folder.
/// - A path that does not exist or cannot be read is an unreadable input (`Diagnostics.unreadable`).
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

    /// Expands `paths`; warnings go to `diagnostics` (throwing under `--strict`). With `allExtensions` (a forced
    /// `--input-format`), files in folders are read whatever their extension (hidden and documentation files
    /// are still skipped); otherwise the files skipped for their extension are counted and said once per
    /// folder named on the command line, with how to read them.
    static func expand(_ paths: [String], diagnostics: Diagnostics, allExtensions: Bool = false) throws -> [String] {
        var out: [String] = []
        for path in paths {
            if path == "-" { out.append("-"); continue }
            var st = stat()
            if stat(path, &st) != 0 {
                let e = errno
                let reason = String(cString: strerror(e))
                try diagnostics.unreadable(
                    at: path, "cannot read: \(reason)",
                    printed: e == ENOENT ? "corpuskit: no such file or directory: \(path)" : "corpuskit: cannot read \(path): \(reason)")
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                var found: [String] = []
                var skipped: [String] = []
                let base = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
                try walk(base, depth: 0, into: &found, skipped: &skipped, allExtensions: allExtensions, diagnostics: diagnostics)
                if !skipped.isEmpty {
                    let examples = sortedByBytes(skipped).prefix(3).map { name -> String in
                        name.hasPrefix(base + "/") ? String(name.dropFirst(base.count + 1)) : name
                    }
                    let n = skipped.count
                    try diagnostics.warn(
                        .note, at: path,
                        "\(n) file\(n == 1 ? "" : "s") without a document extension skipped (\(examples.joined(separator: ", "))\(n > 3 ? ", …" : "")); "
                            + "to read \(n == 1 ? "it" : "them"), add --input-format text (or the format they are in), or name \(n == 1 ? "it" : "them") on the command line")
                }
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

    private static func walk(
        _ dir: String, depth: Int, into out: inout [String], skipped: inout [String], allExtensions: Bool, diagnostics: Diagnostics
    ) throws {
        guard depth < 64 else {
            try diagnostics.warn(.skipped, at: dir, "directory nesting too deep (symbolic link loop?)")
            return
        }
        guard let d = opendir(dir) else {
            try diagnostics.unreadable(at: dir, "cannot read directory: \(String(cString: strerror(errno)))")
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
        var unknown: [String] = []
        var subdirs: [String] = []
        for name in names {
            let full = dir == "/" ? "/" + name : dir + "/" + name
            var st = stat()
            if stat(full, &st) != 0 {
                try diagnostics.unreadable(at: full, "cannot read: \(String(cString: strerror(errno)))")
                continue
            }
            let mode = st.st_mode & S_IFMT
            if mode == S_IFDIR { subdirs.append(full); continue }
            guard mode == S_IFREG else { continue }
            let lower = name.lowercased()
            if docPrefixes.contains(where: { lower.hasPrefix($0) }) { continue }
            if documentExtensions.contains(documentExtension(name).ext) {
                files.append(full)
            } else {
                unknown.append(full)
            }
        }
        if files.contains(where: isReutersName) {
            // A Reuters distribution: its other files (lewis.dtd, README.txt …) are not documents.
            files = files.filter(isReutersName)
        } else if allExtensions {
            files += unknown
        } else {
            skipped += unknown
        }
        out.append(contentsOf: files)
        for sub in subdirs {
            try walk(sub, depth: depth + 1, into: &out, skipped: &skipped, allExtensions: allExtensions, diagnostics: diagnostics)
        }
    }
}
