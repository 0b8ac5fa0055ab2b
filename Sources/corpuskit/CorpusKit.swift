import ArgumentParser
import CorpusICU

/// The CorpusKit version.
let corpusKitVersion = "0.1.0"

@main
struct CorpusKitCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "corpuskit",
            abstract: "ICU-exact term, n-gram, co-occurrence and trend statistics for news corpora.",
            version: "CorpusKit \(corpusKitVersion), ICU \(ICUInfo.icuVersion), Unicode \(ICUInfo.unicodeVersion)",
            subcommands: [
                AnalyzeCommand.self,
                TokensCommand.self,
                TermsCommand.self,
                NgramsCommand.self,
                CoocCommand.self,
                CollocatesCommand.self,
                TrendsCommand.self,
                PeriodsCommand.self,
                RisingCommand.self,
                BurstsCommand.self,
                KeynessCommand.self,
                DocsCommand.self,
                InfoCommand.self,
                BenchCommand.self,
                ConvertCommand.self,
            ])
    }
}
