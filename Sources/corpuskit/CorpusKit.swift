import ArgumentParser
import CorpusCore
import CorpusExport
import CorpusICU
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The CorpusKit version.
let corpusKitVersion = "0.1.0"

/// The exit codes of `corpuskit` (sysexits.h), documented in the README and in `corpuskit --help`.
enum ExitStatus {
    /// Every input path was read (bad records inside a file are warnings, summarized on stderr).
    static let ok: Int32 = 0
    /// The run finished and wrote its output, but some input path could not be read.
    static let someInputUnreadable: Int32 = 1
    /// EX_USAGE: a usage error (bad flag value, impossible date, unknown output extension), before any reading.
    static let usage: Int32 = 64
    /// EX_DATAERR: `--strict` and a warning occurred (no output written).
    static let dataError: Int32 = 65
    /// EX_NOINPUT: no input could be read at all (no output written; an existing output file is kept).
    static let noInput: Int32 = 66
    /// EX_SOFTWARE: an internal error (a bug: please report it).
    static let software: Int32 = 70
    /// EX_CANTCREAT: the output could not be created.
    static let cannotCreate: Int32 = 73
    /// EX_IOERR: the output could not be written.
    static let ioError: Int32 = 74

    static let help = """
        Exit codes (sysexits.h):
          0   every input was read (bad records are warnings, summarized on stderr)
          1   the output was written, but some input path could not be read
              (missing, unreadable, not a corpus file)
          64  usage error, found before reading: bad flag value, impossible date,
              unknown command, unknown -o extension, -o naming an input
          65  --strict, and a warning occurred (nothing written)
          66  no input could be read (nothing written, an old output file is kept)
          70  internal error (a bug)
          73  the output could not be created (-o FILE: its folder must exist)
          74  the output could not be written
        """
}

/// A runtime error of the CLI: printed as `corpuskit: error: MESSAGE`, then the process exits with `code`.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var code: Int32
    init(_ message: String, code: Int32) {
        self.message = message
        self.code = code
    }
    var description: String { message }

    static func usage(_ message: String) -> CLIError { CLIError(message, code: ExitStatus.usage) }
    static func noInput(_ message: String) -> CLIError { CLIError(message, code: ExitStatus.noInput) }
    static func cannotCreate(_ message: String) -> CLIError { CLIError(message, code: ExitStatus.cannotCreate) }
}

/// Set when a run finished but some input path could not be read: the process then exits 1.
let someInputUnreadable = Atomic<Bool>(false)

/// A command that can check its output plan before reading anything (exit 64 or 73 early).
protocol Preflight {
    func preflight() throws
}

@main
struct CorpusKitCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "corpuskit",
            abstract: "ICU-exact term, n-gram, co-occurrence and trend statistics for news corpora.",
            discussion: ExitStatus.help,
            version: "CorpusKit \(corpusKitVersion), ICU \(ICUInfo.icuVersion), Unicode \(ICUInfo.unicodeVersion)",
            subcommands: [
                AnalyzeCommand.self,
                MergeCommand.self,
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
                DispersionCommand.self,
                DtmCommand.self,
                KwicCommand.self,
                DocsCommand.self,
                DupsCommand.self,
                InfoCommand.self,
                BenchCommand.self,
                ConvertCommand.self,
                ReportCommand.self,
            ])
    }

    static var commandNames: [String] { configuration.subcommands.map { $0._commandName } }

    /// Parses (usage errors: argument-parser's message and usage, exit 64), runs, and maps runtime errors
    /// to the documented exit codes without the usage text.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `corpuskit term`, `corpuskit help term`: say so (argument-parser would print the root help).
        let named = arguments.first == "help" ? arguments.dropFirst().first : arguments.first
        if let word = named, !word.hasPrefix("-"), !commandNames.contains(word), word != "help" {
            printError("corpuskit: \(unknownCommandMessage(word, commands: commandNames))")
            Glibc.exit(ExitStatus.usage)
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        if String(reflecting: type(of: command)).hasPrefix("ArgumentParser.") {
            // `help`, `--help`, `--version`, completions: argument-parser's own commands and messages.
            do { try command.run() } catch { exit(withError: error) }
            exit()
        }
        do {
            if let checked = command as? Preflight { try checked.preflight() }
            try command.run()
        } catch let clean as CleanExit {
            exit(withError: clean)  // `corpuskit` alone: the root help
        } catch {
            let (message, code) = describeRuntimeError(error)
            if let message { printError("corpuskit: error: \(message)") }
            removePendingTemporaryFiles()
            Glibc.exit(code)
        }
        Glibc.exit(someInputUnreadable.load(ordering: .relaxed) ? ExitStatus.someInputUnreadable : ExitStatus.ok)
    }
}

/// `unknown command 'term' — did you mean 'terms'?` (the nearest command by edit distance, when near).
func unknownCommandMessage(_ word: String, commands: [String]) -> String {
    let scored = commands.map { ($0, editDistance(word.lowercased(), $0)) }
    if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 2) || best.0.hasPrefix(word.lowercased()) && word.count >= 2 {
        return "unknown command '\(word)' — did you mean '\(best.0)'? (corpuskit --help lists the commands)"
    }
    return "unknown command '\(word)'; the commands are: \(commands.joined(separator: ", "))"
}

/// Levenshtein distance over Unicode scalars.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in stride(from: 1, through: y.count, by: 1) {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// The message (nil: say nothing) and exit code for an error thrown while a command runs.
func describeRuntimeError(_ error: Error) -> (String?, Int32) {
    switch error {
    case let e as CLIError:
        return (e.message, e.code)
    case let e as CorpusError:
        return (e.message, e.strict ? ExitStatus.dataError : ExitStatus.usage)
    case let e as ValidationError:
        // A bad option value found once the command runs (still before reading the corpus): a usage error.
        return (e.message, ExitStatus.usage)
    case let e as ExitCode:
        return (nil, e.rawValue)
    case let e as ExportError:
        switch e {
        case .io(let path, let operation, let err):
            if operation == "open" || operation.hasPrefix("create") {
                return ("cannot create \(path): \(String(cString: strerror(err)))", ExitStatus.cannotCreate)
            }
            return (e.description, ExitStatus.ioError)
        case .refused:
            return (e.description, ExitStatus.cannotCreate)
        case .brokenPipe:
            return (nil, ExitStatus.ok)
        case .input:
            return (e.description, ExitStatus.dataError)
        case .compression:
            return (e.description, ExitStatus.ioError)
        case .rowWidth, .cellType, .finished:
            return ("internal error: \(e.description)", ExitStatus.software)
        }
    default:
        return ("\(error)", ExitStatus.software)
    }
}
