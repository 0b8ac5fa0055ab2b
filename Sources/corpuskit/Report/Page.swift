import CorpusCore
import CorpusEngine
import CorpusExport

/// The report page: `ReportData` written as one self-contained HTML document (inline style, inline SVG,
/// one small inline script for sorting tables). Nothing on it depends on when or how fast it was made.
struct ReportPage {
    let data: ReportData
    init(_ data: ReportData) { self.data = data }

    var by: Granularity { data.by }
    func label(_ p: Int64) -> String { by.label(ofOrdinal: p) }

    /// The shared time axis of the charts (nil without dated documents).
    func axis(left: Double) -> TimeAxis? {
        guard let a = data.periods.first?.period, let b = data.periods.last?.period else { return nil }
        return TimeAxis(by: by, first: a, last: b, left: left, right: Chart.width - 16)
    }

    var html: String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="CorpusKit \(corpusKitVersion)">
            <title>Corpus report: \(HTML.esc(inputsLine))</title>
            <style>
            \(HTML.style)
            </style>
            </head>
            <body>
            <main>
            <header>
            <h1>Corpus report</h1>
            <p class="note">\(HTML.esc(inputsLine)) · periods: \(by.rawValue) · CorpusKit \(corpusKitVersion)</p>
            <nav aria-label="Sections"><p class="note"><a href="#glance">At a glance</a> · <a href="#trends">Trends</a> · <a href="#bursts">Bursts</a> · <a href="#top-terms">Top terms</a> · <a href="#collocates">Collocates</a> · <a href="#keyness">Keyness</a> · <a href="#about">Options and inputs</a></p></nav>
            </header>

            """
        out += glance + trends + bursts + topTerms + collocates + keyness + about
        out += "<script>\n\(HTML.script)\n</script>\n</main>\n</body>\n</html>\n"
        return out
    }

    /// The inputs as given (the bundled sample when none).
    var inputsLine: String {
        let given = data.options.inputs
        return given.isEmpty ? "the bundled sample corpus" : given.joined(separator: " ")
    }

    func section(_ id: String, _ heading: String, _ body: String) -> String {
        "<section id=\"\(id)\" aria-labelledby=\"\(id)-h\">\n<h2 id=\"\(id)-h\">\(HTML.esc(heading))</h2>\n\(body)</section>\n\n"
    }

    // MARK: The corpus at a glance

    var glance: String {
        func item(_ name: String, _ value: String, _ key: String) -> String {
            "<div><dt>\(name)</dt><dd data-key=\"\(key)\">\(HTML.esc(value))</dd></div>"
        }
        var dl = "<dl class=\"glance\">"
        dl += item("Documents", HTML.count(data.documents), "documents")
        dl += item("Tokens", HTML.count(data.tokens), "tokens")
        dl += item("Types", HTML.count(data.types), "types")
        let range = data.firstDate.flatMap { a in data.lastDate.map { b in "\(isoDate(seconds: a)) to \(isoDate(seconds: b))" } } ?? "no dated documents"
        dl += item("Date range", range, "date_range")
        if data.undated > 0 { dl += item("Undated", HTML.count(data.undated), "undated") }
        dl += "</dl>\n"
        guard let axis = axis(left: 72) else { return section("glance", "The corpus at a glance", dl) }
        var body = dl
        body += "<figure><div class=\"chart\">" + barChart(axis, id: "docs-chart", what: "documents", value: { $0.docs }) + "</div>"
        body += "<figcaption>Documents per \(by.rawValue).</figcaption></figure>\n"
        body += "<figure><div class=\"chart\">" + barChart(axis, id: "tokens-chart", what: "tokens", value: { $0.tokens }) + "</div>"
        body += "<figcaption>Tokens per \(by.rawValue).</figcaption></figure>\n"
        let rows = data.periods.map { p -> [HTML.Cell] in
            [.text(label(p.period)), .text(CivilDate.isoDate(days: by.startDay(ofOrdinal: p.period))), .int(Int64(p.docs)), .int(Int64(p.tokens))]
        }
        body += HTML.details("Data: documents and tokens per \(by.rawValue) (as corpuskit periods)",
                             HTML.table(id: "periods-table", caption: "Documents and tokens per \(by.rawValue), empty periods included",
                                        columns: ["period", "period_start", "documents", "tokens"], rows: rows))
        return section("glance", "The corpus at a glance", body)
    }

    func barChart(_ axis: TimeAxis, id: String, what: String, value: (ReportData.PeriodBar) -> UInt64) -> String {
        let height = 190.0, top = 12.0, bottom = 160.0
        let maximum = Double(data.periods.map(value).max() ?? 0)
        let ticks = Chart.niceTicks(maximum, integers: true)
        let scale = (bottom - top) / (ticks.last ?? 1)
        var out = Chart.open(height: height, label: "\(what.capitalized) per \(by.rawValue), \(label(axis.first)) to \(label(axis.last))", id: id)
        out += yGrid(ticks, axis: axis, top: top, bottom: bottom)
        out += "<g class=\"bars\">"
        for p in data.periods {
            let v = value(p)
            let x0 = axis.x0(p.period) + 0.5, x1 = max(x0 + 1, axis.x1(p.period) - 0.5)
            let h = Double(v) * scale
            out += "<rect class=\"bar\" data-period=\"\(label(p.period))\" data-\(what)=\"\(v)\" x=\"\(Chart.f(x0))\" y=\"\(Chart.f(bottom - h))\" width=\"\(Chart.f(x1 - x0))\" height=\"\(Chart.f(h))\" fill=\"#5b7593\">"
            out += "<title>\(label(p.period)): \(HTML.count(v)) \(what)</title></rect>"
        }
        out += "</g>\n" + axis.draw(y: bottom) + "</svg>"
        return out
    }

    /// Horizontal grid lines with their labels at the left.
    func yGrid(_ ticks: [Double], axis: TimeAxis, top: Double, bottom: Double) -> String {
        let scale = (bottom - top) / (ticks.last ?? 1)
        var out = "<g class=\"grid\">"
        for t in ticks {
            let y = bottom - t * scale
            out += "<line x1=\"\(Chart.f(axis.left))\" y1=\"\(Chart.f(y))\" x2=\"\(Chart.f(axis.right))\" y2=\"\(Chart.f(y))\"/>"
            out += "<text x=\"\(Chart.f(axis.left - 6))\" y=\"\(Chart.f(y + 4))\" font-size=\"13\" text-anchor=\"end\">\(Chart.tickLabel(t))</text>"
        }
        return out + "</g>\n"
    }

    // MARK: Keyword trends

    var trends: String {
        let heading = "Keyword trends"
        let what: String
        if data.trendsChosen {
            what = "The chosen terms"
        } else if let k = data.keyness {
            what = "The \(data.series.count) top rising terms of \(label(k.target)) (largest G² against the earlier \(by.rawValue)s)"
        } else {
            what = "The \(data.series.count) most frequent terms (fewer than two \(by.rawValue)s have documents: nothing to rise against)"
        }
        var body = "<p class=\"note\">\(HTML.esc(what)), per million tokens of each \(by.rawValue) (as corpuskit trends --terms). A shaded \(by.rawValue) has no documents: the line has a gap there, not a zero.</p>\n"
        guard let axis = axis(left: 72), !data.series.isEmpty else {
            return section("trends", heading, body + "<p>No dated documents or no terms to draw.</p>\n")
        }
        body += "<ul class=\"legend\">"
        for (i, t) in data.series.enumerated() {
            body += "<li data-term=\"\(HTML.esc(t.label))\">\(SeriesStyle(i).swatch)\(HTML.esc(t.label))</li>"
        }
        body += "</ul>\n<figure><div class=\"chart\">" + lineChart(axis) + "</div>"
        body += "<figcaption>Per million tokens per \(by.rawValue); hover a point for its count.</figcaption></figure>\n"
        let rows = data.trends.map { r -> [HTML.Cell] in
            [.text(label(r.period)), .text(r.label), .int(Int64(r.count)), .int(Int64(r.docs)), r.perMillion.map { .real($0, decimals: 2) } ?? .missing]
        }
        body += HTML.details("Data: the trend lines (as corpuskit trends --terms)",
                             HTML.table(id: "trends-table", caption: "Count, documents and per million of each term in each \(by.rawValue) (– where the \(by.rawValue) has no documents)",
                                        columns: ["period", "term", "count", "docs", "per_million"], rows: rows))
        return section("trends", heading, body)
    }

    func lineChart(_ axis: TimeAxis) -> String {
        let height = 360.0, top = 14.0, bottom = 320.0
        let maximum = data.trends.compactMap(\.perMillion).max() ?? 0
        let ticks = Chart.niceTicks(maximum)
        let scale = (bottom - top) / (ticks.last ?? 1)
        let names = data.series.map(\.label).joined(separator: ", ")
        var out = Chart.open(height: height, label: "Per million tokens of \(names) per \(by.rawValue), \(label(axis.first)) to \(label(axis.last))", id: "trends-chart")
        out += "<g class=\"gaps\">"
        for p in data.periods where p.docs == 0 {
            out += "<rect class=\"gap\" data-period=\"\(label(p.period))\" x=\"\(Chart.f(axis.x0(p.period)))\" y=\"\(Chart.f(top))\" width=\"\(Chart.f(axis.x1(p.period) - axis.x0(p.period)))\" height=\"\(Chart.f(bottom - top))\" fill=\"#ececec\"><title>\(label(p.period)): no documents</title></rect>"
        }
        out += "</g>\n" + yGrid(ticks, axis: axis, top: top, bottom: bottom)
        out += "<text x=\"14\" y=\"\(Chart.f((top + bottom) / 2))\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(Chart.f((top + bottom) / 2)))\">per million tokens</text>\n"
        var byTerm: [String: [TrendRow]] = [:]
        for r in data.trends { byTerm[r.label, default: []].append(r) }
        for (i, t) in data.series.enumerated() {
            let style = SeriesStyle(i)
            let rows = (byTerm[t.label] ?? []).sorted { $0.period < $1.period }
            var d = ""
            var pen = false
            for r in rows {
                guard let pm = r.perMillion else { pen = false; continue }
                d += "\(pen ? "L" : "M")\(Chart.f(axis.mid(r.period))) \(Chart.f(bottom - pm * scale))"
                pen = true
            }
            out += "<g class=\"series\" data-term=\"\(HTML.esc(t.label))\">"
            if !d.isEmpty {
                out += "<path class=\"line\" d=\"\(d)\" fill=\"none\" stroke=\"\(style.colour)\" stroke-width=\"2.5\" stroke-linejoin=\"round\"\(style.dashAttribute)/>"
            }
            for r in rows {
                guard let pm = r.perMillion else { continue }
                let attributes = " class=\"pt\" data-term=\"\(HTML.esc(t.label))\" data-period=\"\(label(r.period))\" data-count=\"\(r.count)\" data-docs=\"\(r.docs)\" data-per-million=\"\(HTML.exact(pm))\""
                let tip = "<title>\(HTML.esc(t.label)), \(label(r.period)): \(HTML.shown(pm)) per million (\(HTML.count(r.count)) in \(HTML.count(r.docs)) documents)</title>"
                out += style.markerShape(x: axis.mid(r.period), y: bottom - pm * scale, attributes: attributes, inner: tip)
            }
            out += "</g>\n"
        }
        out += axis.draw(y: bottom) + "</svg>"
        return out
    }

    // MARK: Bursts

    var bursts: String {
        let heading = "Bursts"
        let lead = data.bursts.isEmpty ? "No burst was found" : "The \(data.bursts.count) strongest bursts"
        var body = "<p class=\"note\">\(lead) (Kleinberg's two-state model over the documents holding each term per \(by.rawValue), s = 2, γ = 1, as corpuskit bursts) among \(data.burstTermCount) terms: the trend terms and the \(ReportData.burstFrequentTerms) most frequent. Darker = stronger.</p>\n"
        guard let axis = axis(left: 150), !data.bursts.isEmpty else {
            return section("bursts", heading, body)
        }
        var lanes: [String] = []
        for b in data.bursts where !lanes.contains(b.label) { lanes.append(b.label) }
        let lane = 24.0, top = 8.0
        let bottom = top + Double(lanes.count) * lane + 4
        let strongest = data.bursts.map(\.burst.weight).max() ?? 1
        var svg = Chart.open(height: bottom + 28, label: "Timeline of the \(data.bursts.count) strongest bursts of \(lanes.count) terms", id: "bursts-chart")
        svg += "<g class=\"grid\">"
        for p in axis.ticks() {
            svg += "<line x1=\"\(Chart.f(axis.x0(p)))\" y1=\"\(Chart.f(top))\" x2=\"\(Chart.f(axis.x0(p)))\" y2=\"\(Chart.f(bottom))\"/>"
        }
        svg += "</g>\n"
        for (i, term) in lanes.enumerated() {
            let y = top + Double(i) * lane
            let shown = term.count > 20 ? String(term.prefix(19)) + "…" : term
            svg += "<text x=\"\(Chart.f(axis.left - 8))\" y=\"\(Chart.f(y + 16))\" font-size=\"13\" text-anchor=\"end\">\(HTML.esc(shown))</text>"
        }
        for b in data.bursts {
            let i = Double(lanes.firstIndex(of: b.label) ?? 0)
            let x0 = axis.x0(b.burst.start), x1 = axis.x1(b.burst.end)
            let strength = strongest > 0 ? b.burst.weight / strongest : 1
            svg += "<rect class=\"burst\" data-term=\"\(HTML.esc(b.label))\" data-start=\"\(label(b.burst.start))\" data-end=\"\(label(b.burst.end))\" data-weight=\"\(HTML.exact(b.burst.weight))\""
            svg += " x=\"\(Chart.f(x0))\" y=\"\(Chart.f(top + i * lane + 3))\" width=\"\(Chart.f(max(2, x1 - x0)))\" height=\"\(Chart.f(lane - 6))\" rx=\"3\""
            svg += " fill=\"#1f3b73\" fill-opacity=\"\(NumberFormat.fixed(0.2 + 0.8 * strength, decimals: 2))\" stroke=\"#1f3b73\" stroke-width=\"1.5\">"
            svg += "<title>\(HTML.esc(b.label)): \(label(b.burst.start)) to \(label(b.burst.end)), weight \(HTML.shown(b.burst.weight))</title></rect>"
        }
        svg += "\n" + axis.draw(y: bottom) + "</svg>"
        body += "<figure><div class=\"chart\">\(svg)</div><figcaption>Each bar runs from the first to the last \(by.rawValue) of a burst.</figcaption></figure>\n"
        let rows = data.bursts.map { b -> [HTML.Cell] in
            [.text(b.label), .text(label(b.burst.start)), .text(label(b.burst.end)), .real(b.burst.weight, decimals: 2)]
        }
        body += HTML.details("Data: the bursts (as corpuskit bursts)",
                             HTML.table(id: "bursts-table", caption: "The strongest bursts by weight", columns: ["term", "start", "end", "weight"], rows: rows))
        return section("bursts", heading, body)
    }

    // MARK: Tables

    var topTerms: String {
        let stop = data.options.stopwords.map { " without the stopwords \($0)" } ?? ""
        let rows = data.topTerms.map { r -> [HTML.Cell] in [.text(r.term), .int(Int64(r.count)), .int(Int64(r.docs)), .real(r.perMillion, decimals: 1)] }
        return section("top-terms", "Top terms",
                       "<p class=\"note\">The \(data.topTerms.count) most frequent terms\(HTML.esc(stop)) (as corpuskit terms).</p>\n"
                       + HTML.table(id: "terms-table", caption: "The most frequent terms", columns: ["term", "count", "docs", "per_million"], rows: rows))
    }

    var collocates: String {
        var body = "<p class=\"note\">The words most strongly associated with each trend term within \(data.options.window) tokens in the same sentence, by log_dice (pairs with count ≥ \(data.options.minCount); as corpuskit cooc --window \(data.options.window) --sort log_dice).</p>\n"
        if data.collocates.isEmpty { body += "<p>No terms.</p>\n" }
        body += "<div class=\"cols\">"
        for (i, c) in data.collocates.enumerated() {
            body += "<div><h3>\(HTML.esc(c.node))</h3>"
            if let note = c.note { body += "<p class=\"note\">\(HTML.esc(note))</p>" }
            let rows = c.rows.map { r -> [HTML.Cell] in [.text(r.term), .int(Int64(r.count)), .int(Int64(r.docs)), .real(r.logDice, decimals: 2)] }
            if !c.rows.isEmpty {
                body += HTML.table(id: "collocates-\(i)", caption: "Collocates of \(c.node)", columns: ["collocate", "count", "docs", "log_dice"], rows: rows)
                    .replacingAll("<table class=\"data\"", with: "<table class=\"data\" data-node=\"\(HTML.esc(c.node))\"")
            }
            body += "</div>\n"
        }
        return section("collocates", "Top collocates", body + "</div>\n")
    }

    var keyness: String {
        guard let k = data.keyness else {
            return section("keyness", "Keyness of the last period", "<p>Fewer than two \(by.rawValue)s have documents: nothing to compare.</p>\n")
        }
        let names = k.baseline.map(label)
        let baseline = names.count == 1 ? names[0] : "\(names.first ?? "") to \(names.last ?? "") (\(names.count) \(by.rawValue)s with documents)"
        let note = "\(label(k.target)) (\(HTML.count(k.targetTokens)) tokens) against \(baseline) (\(HTML.count(k.baselineTokens)) tokens), by G² (as corpuskit rising --period \(label(k.target)) --baseline \(k.baseline.count)). A positive log_ratio: relatively more frequent in \(label(k.target))."
        let rows = k.rows.map { r -> [HTML.Cell] in
            [.text(r.term), .int(Int64(r.count)), .int(Int64(r.baseline)), .real(r.perMillion, decimals: 1), .real(r.baselinePerMillion, decimals: 1), .real(r.logRatio, decimals: 2), .real(r.g2, decimals: 1)]
        }
        return section("keyness", "Keyness of \(label(k.target)) against the earlier \(by.rawValue)s",
                       "<p class=\"note\" data-target=\"\(label(k.target))\" data-baseline-periods=\"\(k.baseline.count)\">\(HTML.esc(note))</p>\n"
                       + HTML.table(id: "keyness-table", caption: "Key terms of \(label(k.target))",
                                    columns: ["term", "count", "baseline_count", "per_million", "baseline_per_million", "log_ratio", "g2"], rows: rows))
    }

    var about: String {
        var body = "<p>Rerun (the same input and options give this page byte for byte):</p>\n<pre><code id=\"rerun\">\(HTML.esc(data.rerun))</code></pre>\n"
        let m = data.manifest
        func version(_ k: String) -> String { HTML.esc(m[k]?.stringValue ?? "") }
        body += "<p>Versions: CorpusKit \(version("corpuskit_version")), ICU \(version("icu_version")), Unicode \(version("unicode_version")).</p>\n"
        if case .object(let options)? = m["options"] {
            let keys = options.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            body += HTML.table(id: "options-table", caption: "Options", columns: ["option", "value"],
                               rows: keys.map { [.text($0), .text(options[$0]!.serialized(pretty: false))] })
        }
        if case .array(let inputs)? = m["inputs"] {
            let rows = inputs.map { i -> [HTML.Cell] in
                [.text(i["path"]?.stringValue ?? ""), .int(i["bytes"]?.intValue ?? 0), .text(i["crc32"]?.stringValue ?? "")]
            }
            let table = HTML.table(id: "inputs-table", caption: "The files read", columns: ["path", "bytes", "crc32"], rows: rows)
            let total = Int(m["inputs_total"]?.intValue ?? Int64(rows.count))
            let what = total > rows.count ? "The first \(rows.count) of the \(HTML.count(total)) files read" : "The \(rows.count) files read"
            body += rows.count <= 12 ? table : HTML.details("\(what), with sizes and CRC-32", table)
        }
        body += HTML.details("All of it as JSON (as in analyze's manifest.json)", "<pre id=\"manifest\">\(HTML.esc(m.serialized()))</pre>\n")
        return section("about", "Options, versions and inputs", body)
    }
}
