import CorpusCore
import CorpusExport

/// Small helpers that write the report page's HTML: escaping, numbers, tables. Every text that comes from
/// the corpus or the command line goes through `esc` (a title `<script>` shows as text).
enum HTML {
    /// Text escaped for HTML element content and for attribute values in double or single quotes.
    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // C0 controls other than tab/newline are not allowed in HTML text: shown as U+FFFD.
                if c.value < 0x20 && c != "\t" && c != "\n" || c.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// The exact value of a number, for data attributes (shortest round-trip form, as the TSV tables write it).
    static func exact(_ d: Double) -> String { NumberFormat.shortest(d) }

    /// A number as shown to a reader: thousands grouped for counts.
    static func count<T: BinaryInteger>(_ v: T) -> String { groupedThousands(Int64(v)) }

    /// A measure as shown to a reader: at most `decimals` decimals (deterministic rounding).
    static func shown(_ d: Double, decimals: Int = 2) -> String { NumberFormat.fixed(d, decimals: decimals) }

    /// A cell of a data table: `shown` for the eye, the exact value in `data-v` (sorting and tests read it).
    enum Cell {
        case text(String)
        case int(Int64)
        case real(Double, decimals: Int)
        case missing

        var html: String {
            switch self {
            case .text(let s): return "<td>\(esc(s))</td>"
            case .int(let v): return "<td class=\"n\" data-v=\"\(v)\">\(count(v))</td>"
            case .real(let d, let decimals): return "<td class=\"n\" data-v=\"\(exact(d))\">\(shown(d, decimals: decimals))</td>"
            case .missing: return "<td class=\"n\" data-v=\"\">–</td>"
            }
        }
    }

    /// A sortable table with an id, its column names (as the command's table has them) and rows.
    static func table(id: String, caption: String, columns: [String], rows: [[Cell]]) -> String {
        var out = "<div class=\"scroll\"><table class=\"data\" id=\"\(esc(id))\"><caption>\(esc(caption))</caption><thead><tr>"
        for (i, c) in columns.enumerated() {
            out += "<th scope=\"col\" data-col=\"\(esc(c))\"><button type=\"button\" data-sort=\"\(i)\">\(esc(c))</button></th>"
        }
        out += "</tr></thead><tbody>\n"
        for r in rows {
            out += "<tr>" + r.map(\.html).joined() + "</tr>\n"
        }
        if rows.isEmpty { out += "<tr><td colspan=\"\(columns.count)\">(none)</td></tr>\n" }
        return out + "</tbody></table></div>\n"
    }

    /// A chart's data table behind a disclosure: the chart's text alternative.
    static func details(_ summary: String, _ body: String) -> String {
        "<details><summary>\(esc(summary))</summary>\n\(body)</details>\n"
    }

    /// The page's style: one column, readable from 390 px to wide screens; figures scroll sideways on
    /// narrow screens instead of shrinking their text.
    static let style = """
        :root{--fg:#1b1b1b;--muted:#555;--line:#ccc;--bg:#fff;--accent:#1f4e79}
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
        main{max-width:1120px;margin:0 auto;padding:1rem 1.25rem 3rem}
        h1{font-size:1.6rem;margin:.5rem 0 .25rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
        h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
        p.note{color:var(--muted);margin:.25rem 0 .75rem;font-size:.92rem}
        dl.glance{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem 1rem;margin:.75rem 0}
        dl.glance div{border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem}
        dl.glance dt{font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
        dl.glance dd{margin:0;font-size:1.3rem;font-variant-numeric:tabular-nums}
        figure{margin:.5rem 0 1rem}figcaption{font-size:.92rem;color:var(--muted)}
        .chart{overflow-x:auto}.chart svg{display:block;width:100%;height:auto}
        svg text{font-family:inherit;fill:#222}svg .axis line,svg .axis path{stroke:#888}svg .grid line{stroke:#e3e3e3}
        .legend{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.25rem 0;padding:0;list-style:none;font-size:.92rem}
        .legend svg{width:42px;height:14px;vertical-align:middle;margin-right:.3rem}
        .cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:0 1.5rem}
        .scroll{overflow-x:auto}
        table.data{border-collapse:collapse;font-size:.9rem;margin:.25rem 0 .75rem;min-width:50%}
        table.data caption{text-align:left;font-size:.85rem;color:var(--muted);padding:.2rem 0}
        table.data th,table.data td{padding:.2rem .55rem;border-bottom:1px solid #e6e6e6;text-align:left;white-space:nowrap}
        table.data td.n{text-align:right;font-variant-numeric:tabular-nums}
        table.data th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
        table.data th[aria-sort] button::after{content:" ↕";color:var(--muted)}
        details{margin:.25rem 0 1rem}summary{cursor:pointer;color:var(--accent)}
        pre{background:#f6f6f6;border:1px solid #e3e3e3;padding:.6rem;overflow-x:auto;font-size:.82rem;white-space:pre-wrap;word-break:break-all}
        @media (max-width:640px){main{padding:.75rem .6rem 2rem}h1{font-size:1.3rem}.chart svg{min-width:720px}dl.glance dd{font-size:1.1rem}}
        @media print{.chart{overflow:visible}details{display:block}}
        """

    /// Table sorting (click a column name; numbers sort by their exact value). No other script runs.
    static let script = """
        (function(){
          document.querySelectorAll('table.data').forEach(function(t){
            t.querySelectorAll('th button[data-sort]').forEach(function(b){
              b.addEventListener('click',function(){
                var i=+b.getAttribute('data-sort'),th=b.parentNode,desc=th.getAttribute('aria-sort')==='ascending';
                t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
                th.setAttribute('aria-sort',desc?'descending':'ascending');
                var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
                function key(r){var c=r.cells[i];if(!c)return '';var v=c.getAttribute('data-v');return v===null?c.textContent:(v===''?-Infinity:parseFloat(v));}
                rows.sort(function(a,b){var x=key(a),y=key(b),o=(typeof x==='number'&&typeof y==='number')?x-y:String(x).localeCompare(String(y));return desc?-o:o;});
                rows.forEach(function(r){body.appendChild(r);});
              });
            });
          });
        })();
        """
}
