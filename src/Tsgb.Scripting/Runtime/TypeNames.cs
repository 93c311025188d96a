using System.Reflection;
using System.Text;

namespace TsgbKit.Scripting;

/// <summary>C# source names of runtime types, for generated binding submissions.</summary>
internal static class TypeNames
{
    private static readonly Dictionary<Type, string> s_keywords = new()
    {
        [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool", [typeof(byte)] = "byte",
        [typeof(sbyte)] = "sbyte", [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int",
        [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(float)] = "float",
        [typeof(double)] = "double", [typeof(decimal)] = "decimal", [typeof(char)] = "char",
    };

    /// <summary>
    /// The fully qualified C# name of <paramref name="type"/>, or of its nearest public base type when it cannot be
    /// named in source (non-public, anonymous, declared in a script).
    /// </summary>
    public static string CSharpName(Type type, out List<Assembly> assemblies)
    {
        assemblies = [];
        while (!IsNameable(type)) type = type.BaseType ?? typeof(object);
        var sb = new StringBuilder();
        Append(sb, type, assemblies);
        return sb.ToString();
    }

    private static bool IsNameable(Type t)
    {
        if (t.IsArray || t.IsByRef || t.IsPointer) return IsNameable(t.GetElementType()!) && !t.IsByRef && !t.IsPointer;
        if (t.IsGenericParameter) return false;
        if (!t.IsVisible || t.Assembly.IsDynamic || t.FullName is null) return false;
        if (t.Name.Contains('<') || t.Name.Contains('#') || (t.FullName?.Contains('#') ?? false)) return false;
        return !t.IsGenericType || t.GetGenericArguments().All(IsNameable);
    }

    private static void Append(StringBuilder sb, Type t, List<Assembly> assemblies)
    {
        if (s_keywords.TryGetValue(t, out var kw)) { sb.Append(kw); return; }
        if (t.IsArray)
        {
            Append(sb, t.GetElementType()!, assemblies);
            sb.Append('[').Append(',', t.GetArrayRank() - 1).Append(']');
            return;
        }
        assemblies.Add(t.Assembly);
        var args = t.IsGenericType ? t.GetGenericArguments() : [];
        var argIndex = 0;
        // The chain of declaring types, outermost first; each takes its share of the generic arguments.
        var chain = new List<Type>();
        for (var c = t; c is not null; c = c.DeclaringType) chain.Insert(0, c);
        sb.Append("global::");
        if (!string.IsNullOrEmpty(chain[0].Namespace)) sb.Append(chain[0].Namespace).Append('.');
        for (var i = 0; i < chain.Count; i++)
        {
            if (i > 0) sb.Append('.');
            var name = chain[i].Name;
            var tick = name.IndexOf('`');
            var count = 0;
            if (tick >= 0) { count = int.Parse(name[(tick + 1)..]); name = name[..tick]; }
            sb.Append(name);
            if (count > 0)
            {
                sb.Append('<');
                for (var k = 0; k < count; k++)
                {
                    if (k > 0) sb.Append(", ");
                    Append(sb, args[argIndex++], assemblies);
                }
                sb.Append('>');
            }
        }
    }
}
