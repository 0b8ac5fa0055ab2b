import CorpusICU

/// The ICU-exact fast path for word segmentation (issue 9). Entry point used by the engine.
public enum FastScan {
    /// A fast segmenter for `locale`, or nil when the fast path is not proven identical to ICU for it
    /// (or its start-up self-test failed). Placeholder until the scanner lands: always nil (plain ICU).
    public static func makeSegmenter(locale: String) throws -> (any WordSegmenter)? { nil }
}
