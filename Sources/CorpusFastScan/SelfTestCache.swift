import CorpusICU
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The verdict of the start-up self-test, kept on disk so that it is earned once per binary and ICU, not
/// once per process (the probing and the self-test cost ~0.1 s of CPU; reading the verdict well under 1 ms).
///
/// The verdict holds the probed classes of the fast characters that passed the self-test. It is reused
/// only by a process whose *key* is identical: this executable (path, size, modification time), every ICU
/// library mapped into the process (path, size, modification time), `ICU_DATA`, and ICU's and Unicode's
/// versions. Any change — a rebuilt corpuskit, an upgraded libicu — gives another key, and the self-test
/// runs again. A file that does not match its key or its checksum is ignored.
///
/// Where: `$CORPUSKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/corpuskit`, else `~/.cache/corpuskit`; nothing is
/// kept when no such directory can be made. `CORPUSKIT_SELFTEST=always` ignores kept verdicts (the
/// self-test runs in every process, as before).
package enum SelfTestCache {
    /// Format version of the file (part of the key).
    static let format = "corpuskit-fastpath-selftest 1"

    /// Whether kept verdicts may be used (`CORPUSKIT_SELFTEST=always` says no).
    static var enabled: Bool { !ignoresKept(getenv("CORPUSKIT_SELFTEST").map { String(cString: $0) }) }

    /// Whether a value of `CORPUSKIT_SELFTEST` asks for the self-test in every process.
    package static func ignoresKept(_ value: String?) -> Bool { value == "always" }

    /// The directory verdicts are kept in, or nil.
    package static var directory: String? {
        if let d = getenv("CORPUSKIT_CACHE_DIR"), d.pointee != 0 { return String(cString: d) }
        if let x = getenv("XDG_CACHE_HOME"), x.pointee != 0 { return String(cString: x) + "/corpuskit" }
        if let h = getenv("HOME"), h.pointee != 0 { return String(cString: h) + "/.cache/corpuskit" }
        return nil
    }

    /// Everything the verdict depends on, as text; nil when this executable cannot be identified.
    package static func key(locale: String) -> String? {
        guard let exe = realPath("/proc/self/exe"), let exeStat = fileStamp(exe) else { return nil }
        var lines = [format, "locale \(locale)", "icu \(ICUInfo.icuVersion)", "unicode \(ICUInfo.unicodeVersion)",
                     "exe \(exe) \(exeStat)"]
        if let d = getenv("ICU_DATA") { lines.append("ICU_DATA \(String(cString: d))") }
        let libs = mappedICULibraries()
        if libs.isEmpty { return nil }  // ICU linked statically or maps unreadable: no way to notice a change
        for lib in libs {
            guard let st = fileStamp(lib) else { return nil }
            lines.append("lib \(lib) \(st)")
        }
        return lines.joined(separator: "\n")
    }

    /// The classes kept for `key`, or nil (none kept, unreadable, another key, or a bad checksum).
    package static func load(key: String, directory: String? = SelfTestCache.directory) -> [UInt32: UInt8]? {
        guard enabled, let dir = directory else { return nil }
        guard let text = readFile(dir + "/" + fileName(key)) else { return nil }
        // Layout: the key's lines, a line "--", one "scalar class" line per character, "sum HEX".
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let sep = lines.firstIndex(of: "--"), lines[..<sep].joined(separator: "\n") == key else { return nil }
        var body = Array(lines[(sep + 1)...])
        guard let last = body.popLast(), last.hasPrefix("sum "),
              UInt64(last.dropFirst(4), radix: 16) == checksum(key + "\n--\n" + body.joined(separator: "\n")) else { return nil }
        var classes: [UInt32: UInt8] = [:]
        for line in body {
            let f = line.split(separator: " ")
            guard f.count == 2, let s = UInt32(f[0], radix: 16), let c = UInt8(f[1]), Int(c) < FastClass.count else { return nil }
            classes[s] = c
        }
        // Every fast character must have a class, as probing gives.
        guard FastRepertoire.scalars.allSatisfy({ classes[$0] != nil }), classes.count == FastRepertoire.scalars.count else { return nil }
        return classes
    }

    /// Keeps `classes` (which passed the self-test) for `key`: written to a temporary file, then renamed,
    /// so a reader never sees half a file. Failures are silent (the next process runs the self-test).
    package static func store(_ classes: [UInt32: UInt8], key: String, directory: String? = SelfTestCache.directory) {
        guard enabled, let dir = directory, makeDirectories(dir) else { return }
        var body = classes.keys.sorted().map { String($0, radix: 16) + " " + String(classes[$0]!) }.joined(separator: "\n")
        body = key + "\n--\n" + body
        let text = body + "\nsum " + String(checksum(body), radix: 16) + "\n"
        let path = dir + "/" + fileName(key)
        let tmp = path + ".tmp.\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        var ok = true
        var t = text
        t.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let r = write(fd, buf.baseAddress! + off, buf.count - off)
                if r <= 0 { ok = false; break }
                off += r
            }
        }
        if close(fd) != 0 { ok = false }
        if !ok || rename(tmp, path) != 0 { unlink(tmp) }
    }

    // MARK: - Helpers

    static func fileName(_ key: String) -> String { "fastpath-" + String(checksum(key), radix: 16) + ".txt" }

    /// FNV-1a, 64 bits: names files and guards their contents against truncation and edits by accident.
    static func checksum(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// "size mtime.nanoseconds inode" of a file, or nil.
    static func fileStamp(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return "\(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec) \(st.st_ino)"
    }

    static func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    /// Paths of the ICU libraries mapped into this process (from /proc/self/maps), sorted, unique.
    static func mappedICULibraries() -> [String] {
        guard let maps = readFile("/proc/self/maps") else { return [] }
        var libs = Set<String>()
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            if name.hasPrefix("libicu") { libs.insert(path) }
        }
        return libs.sorted()
    }

    static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let r = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if r < 0 { return nil }
            if r == 0 { break }
            bytes += buf[0..<r]
            if bytes.count > 1 << 22 { return nil }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func makeDirectories(_ path: String) -> Bool {
        var st = stat()
        if stat(path, &st) == 0 { return (st.st_mode & S_IFMT) == S_IFDIR }
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if stat(prefix, &st) != 0 && mkdir(prefix, 0o755) != 0 && errno != EEXIST { return false }
        }
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
