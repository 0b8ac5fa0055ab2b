import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport

extension Pipeline {
    /// Makes the reader keep a metadata field (`Document.fields`) that the run groups by.
    mutating func keepField(_ name: String) {
        if !readerOptions.fields.contains(name) { readerOptions.fields.append(name) }
    }
}

/// `--group-by FIELD` of terms, trends, periods and dispersion, and the groups of keyness: one engine pass
/// counts per value of a metadata field (`--field`'s sources: JSONL field, CSV/TSV column, Reuters element,
/// e-mail header). A grouped table is the ungrouped command's table for each group's documents, one after
/// the other in the order of the groups' names (UTF-8 bytes), with a `group` column first. A document with
/// several values counts in each of them; one without the field is in the group with the empty name.
struct GroupOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Count per value of this metadata field (a JSONL field, CSV/TSV column, Reuters element such as topics, or e-mail header): a `group` column first, each group's rows as for its documents alone. A document with several values counts in each; one without the field is in the group \"\".", valueName: "field"))
    var groupBy: String?

    func validate() throws {
        if let groupBy, groupBy.isEmpty { throw ValidationError("--group-by: give a field name") }
    }

    /// Makes the plan count per group and the reader keep the field.
    func apply(to plan: inout AnalysisPlan, _ pipeline: inout Pipeline) {
        guard let groupBy else { return }
        plan.groupBy = groupBy
        pipeline.keepField(groupBy)
    }

    /// The `group` column, when grouping.
    var columns: [Column] { groupBy == nil ? [] : [Column("group", .string)] }

    /// Calls `body` once with the whole run's statistics (ungrouped), or once per group in name order with
    /// that group's view and the group cell to put first in its rows.
    func forEach(_ stats: CorpusStats, _ body: (_ prefix: [Cell], _ stats: CorpusStats) throws -> Void) rethrows {
        guard groupBy != nil else { return try body([], stats) }
        for name in stats.groupNames { try body([.string(name)], stats.groupView(name)) }
    }
}
