using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace TsgbKit.Interactive.Commands;

/// <summary>Tables as CSV: UTF-8 (labels such as "β=0.8" survive) and invariant numbers.</summary>
internal static class CsvFile
{
    public static void Save(DataFrame table, string path) =>
        DataFrame.SaveCsv(table, path, encoding: new UTF8Encoding(false), cultureInfo: CultureInfo.InvariantCulture);
}
