import FoundationEssentials

/// Paths the tests share: the repository root, `../shared/corpora`, fixtures.
public enum TestPaths {
    /// The repository root (the folder holding Package.swift).
    public static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)  // .../Tests/TestSupport/TestSupport.swift
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared/corpora` beside the checkout, or `$CORPUSKIT_CORPORA`.
    public static let corpora: URL = {
        if let env = ProcessInfo.processInfo.environment["CORPUSKIT_CORPORA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    }()

    /// True when the shared corpora are present (tests that need them are skipped otherwise, with a message).
    public static var hasCorpora: Bool {
        FileManager.default.fileExists(atPath: corpora.appendingPathComponent("README.md").path)
    }

    /// A file inside the shared corpora.
    public static func corpus(_ relative: String) -> URL { corpora.appendingPathComponent(relative) }

    /// `Tests/<target>/Fixtures/<name>`.
    public static func fixture(_ target: String, _ name: String) -> URL {
        repoRoot.appendingPathComponent("Tests").appendingPathComponent(target).appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    /// A fresh temporary directory.
    public static func makeTempDir(_ prefix: String = "corpuskit-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The message shown when a test is skipped for want of `../shared/corpora`.
public let corporaMissingMessage = "../shared/corpora is absent: set CORPUSKIT_CORPORA or check out beside shared/ to run this test"
