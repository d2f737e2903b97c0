using System.Text.Json.Serialization;

namespace EvalLoop.Reporting.Runs;

/// <summary>
/// Source-generated serializer of <see cref="CaseTableMeta"/>. Its default encoder escapes <c>&lt;</c>, <c>&gt;</c> and
/// <c>&amp;</c>, so the JSON is safe inside a script block.
/// </summary>
[JsonSerializable(typeof(CaseTableMeta))]
internal sealed partial class CaseTableMetaContext : JsonSerializerContext;
