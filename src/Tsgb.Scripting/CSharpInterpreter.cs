using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;
using TsgbKit.Jupyter;
using TsgbKit.Scripting.Formatting;
using TsgbKit.Scripting.Language;
using TsgbKit.Scripting.Magics;
using TsgbKit.Scripting.NuGet;

namespace TsgbKit.Scripting;

/// <summary>
/// A C# interpreter on Roslyn scripting: each cell is a submission continuing the state of the previous ones.
/// </summary>
public sealed partial class CSharpInterpreter : IInterpreter, IDisposable
{
    /// <summary>Namespaces imported in addition to the host's (display helpers, Formatter.Register).</summary>
    public static IReadOnlyList<string> InterpreterUsings { get; } = ["TsgbKit.Scripting", "TsgbKit.Scripting.Formatting", "Microsoft.DotNet.Interactive.Formatting"];

    internal static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script);

    private readonly CSharpInterpreterOptions _hostOptions;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly NuGetRestorer _nuget;
    private readonly object _stateLock = new();
    private ScriptOptions _options;
    private readonly List<MetadataReference> _addedReferences = [];
    private readonly ShadowedVariables _shadowed = new();
    private ScriptState<object>? _state;
    private ScriptGlobals _globals = new();
    private int _submission;
    private readonly List<string> _startupWarnings = [];
    private int _abandoned; // interrupted cells still running in the background
    private readonly List<(string Name, object? Value, Type? Type)> _pendingBindings = [];

    public CSharpInterpreter(CSharpInterpreterOptions? options = null)
    {
        _hostOptions = options ?? new CSharpInterpreterOptions();
        _nuget = new NuGetRestorer(_hostOptions.NuGetCacheDirectory);
        _options = CreateScriptOptions();
        Variables = new ScriptVariables(this);
        if (_hostOptions.RedirectConsole) RoutingWriter.Install();
        BuiltInMagics.RegisterAll(this);
    }

    /// <summary>The magic commands; hosts register theirs here.</summary>
    public MagicRegistry Magics { get; } = new();

    /// <summary>The session's variables (read them, bind new ones from the host).</summary>
    public IScriptVariables Variables { get; }

    public KernelInfo Info => DefaultInfo;

    /// <summary>kernel_info of the interpreter, known before one is created (a host answers kernel_info with it at once).</summary>
    public static KernelInfo DefaultInfo { get; } = new(
        "tsgb-csharp",
        typeof(CSharpInterpreter).Assembly.GetName().Version?.ToString() ?? "1.0.0",
        $"C# {LanguageVersionText} (Roslyn scripting) on .NET {Environment.Version}",
        new LanguageInfo("csharp", LanguageVersionText, "text/x-csharp", ".cs", "csharp", "text/x-csharp"),
        [new HelpLink("C# documentation", "https://learn.microsoft.com/dotnet/csharp/")]);

    private static string LanguageVersionText => LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString();

    internal ScriptOptions ScriptOptions => _options;

    internal ScriptState<object>? State => _state;

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_frameworkReferences = new(() =>
    {
        var dir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator);
        return tpa.Where(p => p.Length > 0 && string.Equals(Path.GetDirectoryName(p), dir, StringComparison.Ordinal))
            .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.", StringComparison.Ordinal) ||
                        n.StartsWith("Microsoft.", StringComparison.Ordinal) || n is "netstandard.dll" or "mscorlib.dll"))
            .Where(p => !p.EndsWith(".Native.dll", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    private ScriptOptions CreateScriptOptions()
    {
        var wd = _hostOptions.WorkingDirectory ?? Directory.GetCurrentDirectory();
        var usings = _hostOptions.Usings.Select(u => u.Trim())
            .Select(u => u.StartsWith("static ", StringComparison.Ordinal) ? u["static ".Length..].Trim() : u)
            .Concat(InterpreterUsings).Distinct().ToArray();
        var assemblies = new[]
            {
                typeof(CSharpInterpreter).Assembly, typeof(IInterpreter).Assembly,
                typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly,
                typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly,
                typeof(Microsoft.Data.Analysis.DataFrame).Assembly, typeof(XPlot.Plotly.PlotlyChart).Assembly,
            }
            .Concat(_hostOptions.References).Where(a => !a.IsDynamic && a.Location.Length > 0).Distinct();
        return ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithReferences(s_frameworkReferences.Value)
            .AddReferences(assemblies.Select(a => MetadataReference.CreateFromFile(a.Location)))
            .AddReferences(_hostOptions.ReferencePaths.Select(p => MetadataReference.CreateFromFile(Path.GetFullPath(p, wd))))
            .WithImports(usings)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(wd).WithSearchPaths(wd))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(wd).WithSearchPaths(wd))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithAllowUnsafe(true)
            .WithCheckOverflow(false);
    }

    private async Task<ScriptState<object>> EnsureStateAsync()
    {
        if (_state is not null) return _state;
        var initial = CSharpScript.Create<object>("", _options.WithFilePath(CellPath(0)), typeof(ScriptGlobals));
        if (initial.Compile().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            // An import of the host that does not resolve would fail every cell: it is dropped, with a warning.
            var good = _options.Imports.Where(u =>
                !CSharpScript.Create<object>("", _options.WithImports(u), typeof(ScriptGlobals)).Compile().Any(d => d.Severity == DiagnosticSeverity.Error)).ToList();
            var dropped = _options.Imports.Except(good).ToList();
            _options = _options.WithImports(good);
            _startupWarnings.Add($"warning: the imports {string.Join(", ", dropped)} could not be resolved and were dropped.");
            initial = CSharpScript.Create<object>("", _options.WithFilePath(CellPath(0)), typeof(ScriptGlobals));
        }
        var state = await initial.RunAsync(_globals).ConfigureAwait(false);
        lock (_stateLock) _state ??= state;
        return _state;
    }

    /// <summary>
    /// The options of a submission after the first: only the references added since the session started (#r nuget,
    /// bindings). The first submission got the host's whole list and later ones see it through the chain; passing it
    /// again with every cell made each submission's compilation bind (and keep) its own copy of ~200 references.
    /// </summary>
    private ScriptOptions SubmissionOptions(string path) => _options.WithReferences(_addedReferences).WithFilePath(path);

    private static string CellPath(int submission) => $"<submission {submission}>";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _cellLabels = new(StringComparer.Ordinal);

    /// <summary>How tracebacks name the cell of a submission ("cell [5]").</summary>
    private string CellLabel(string path) => _cellLabels.TryGetValue(path, out var label) ? label : "generated code";

    /// <summary>Compiles and runs an empty submission so that the first cell does not pay Roslyn's start-up.</summary>
    /// <param name="completion">also pay completion's first use</param>
    public async Task WarmUpAsync(bool completion = true)
    {
        await EnsureStateAsync().ConfigureAwait(false);
        if (!completion) return;
        try { CompletionService.Complete(this, "Sys", 3); } catch { }
    }

    /// <summary>Runs a cell: a help request (<c>symbol?</c>), or magics at its top, then its code.</summary>
    public async Task<ExecutionOutcome> ExecuteAsync(ExecutionRequest request, IExecutionOutput output, CancellationToken cancel)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            ScriptRuntime.SetOutput(this, output);
            if (Volatile.Read(ref _abandoned) == 0) ScriptRuntime.ClearInterrupt();
            using var signal = cancel.Register(ScriptRuntime.SignalInterrupt);
            var cell = new CellText(request.Code);
            ExecutionOutcome outcome;
            try
            {
                await FlushBindingsAsync(cancel).ConfigureAwait(false); // SetVariable calls of the host between cells
                await EnsureStateAsync().ConfigureAwait(false);
                foreach (var w in _startupWarnings) output.Stream("stderr", w + "\n");
                _startupWarnings.Clear();
                outcome = HelpRequest.TryParse(request.Code, out var help)
                    ? help.Answer(this)
                    : await RunCellAsync(cell, 0, request.ExecutionCount, output, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                outcome = ExecutionOutcome.Failed(InterruptedError());
            }
            // Silent drops the value, not the payloads (as in IPython).
            if (request.Silent && outcome.Status == ExecutionStatus.Ok) outcome = outcome with { Result = null };
            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs the cell from its line <paramref name="firstLine"/>: magics first, then code.</summary>
    private async Task<ExecutionOutcome> RunCellAsync(CellText cell, int firstLine, int executionCount, IExecutionOutput output, CancellationToken cancel)
    {
        var magicLine = cell.FirstMagicLine(firstLine);
        if (magicLine < 0)
            return await RunCodeAsync(cell.Masked(firstLine), executionCount, output, cancel).ConfigureAwait(false);

        var (name, args) = cell.ParseMagic(magicLine);
        if (!Magics.TryGet(name, out var magic))
            return ExecutionOutcome.Failed(new ExecutionError("MagicError",
                $"Unknown magic command '#!{name}'. Use #!lsmagic to list the magics.", [$"Unknown magic command '#!{name}'. Use #!lsmagic to list the magics."]));

        ExecutionOutcome? bodyOutcome = null;
        var bodyText = cell.TextAfterLine(magicLine);
        var context = new MagicContext(name, args, bodyText, output, cancel, Variables, async ct =>
        {
            await FlushBindingsAsync(ct).ConfigureAwait(false);
            bodyOutcome = await RunCellAsync(cell, magicLine + 1, executionCount, output, ct).ConfigureAwait(false);
            return bodyOutcome;
        });

        MimeBundle? magicResult;
        try
        {
            magicResult = await magic.Handler(context).ConfigureAwait(false);
            await FlushBindingsAsync(cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return ExecutionOutcome.Failed(InterruptedError());
        }
        catch (Exception e)
        {
            lock (_pendingBindings) _pendingBindings.Clear();
            return ExecutionOutcome.Failed(MagicError(name, e));
        }

        if (context.BodyRun)
        {
            if (bodyOutcome is { Status: not ExecutionStatus.Ok }) return bodyOutcome;
            return magicResult is not null ? ExecutionOutcome.Ok(magicResult) : bodyOutcome ?? ExecutionOutcome.Ok();
        }
        if (string.IsNullOrWhiteSpace(bodyText)) return ExecutionOutcome.Ok(magicResult);

        if (magicResult is not null) output.Display(magicResult);
        return await RunCellAsync(cell, magicLine + 1, executionCount, output, cancel).ConfigureAwait(false);
    }

    private static ExecutionError MagicError(string magic, Exception e)
    {
        if (e is MagicException me) return new ExecutionError("MagicError", me.Message, [$"#!{magic}: {me.Message}"]);
        var inner = e is AggregateException { InnerExceptions.Count: 1 } ae ? ae.InnerException! : e;
        var lines = new List<string> { $"{inner.GetType().Name}: {inner.Message} (in #!{magic})" };
        lines.AddRange((inner.StackTrace ?? "").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0));
        return new ExecutionError(inner.GetType().Name, inner.Message, lines);
    }

    internal static ExecutionError InterruptedError() =>
        new(InterruptedErrorName, "The cell was interrupted.", [$"{InterruptedErrorName}: The cell was interrupted."]);

    /// <summary>The ename of an interrupted cell (the same as the protocol layer's for a cancelled execution).</summary>
    public const string InterruptedErrorName = "OperationCanceledException";

    /// <summary>Compiles and runs code as the next submission (positions in <paramref name="code"/> are the cell's).</summary>
    internal async Task<ExecutionOutcome> RunCodeAsync(string code, int executionCount, IExecutionOutput output, CancellationToken cancel, bool silentResult = false)
    {
        if (string.IsNullOrWhiteSpace(code)) return ExecutionOutcome.Ok();
        cancel.ThrowIfCancellationRequested();
        var state = await EnsureStateAsync().ConfigureAwait(false);

        var (stripped, packages) = NuGetDirectives.Extract(code);
        if (packages.Count > 0)
        {
            var refs = new List<MetadataReference>();
            foreach (var p in packages)
            {
                try
                {
                    var restored = await _nuget.RestoreAsync(p, cancel).ConfigureAwait(false);
                    // An assembly the session already references (the framework, the kernel's own packages such as
                    // Microsoft.Data.Analysis or XPlot.Plotly) is kept: two versions of one assembly cannot coexist.
                    var present = ReferencedAssemblyNames();
                    var loaded = HostAssemblies();
                    var kept = 0;
                    foreach (var a in restored.CompileAssemblies)
                    {
                        var name = Path.GetFileNameWithoutExtension(a);
                        if (present.Contains(name)) { kept++; continue; }
                        if (loaded.TryGetValue(name, out var hostPath)) { kept++; refs.Add(MetadataReference.CreateFromFile(hostPath)); continue; }
                        refs.Add(MetadataReference.CreateFromFile(a, documentation: DocumentationLookup.ProviderFor(a)));
                    }
                    output.Stream("stdout", $"Installed package {p.Id} {(p.Version ?? "(latest)")}" +
                        (kept > 0 ? $" ({kept} assemblies already provided by the kernel are used instead)" : "") + "\n");
                }
                catch (NuGetRestoreException e)
                {
                    return ExecutionOutcome.Failed(new ExecutionError("NuGetRestoreError", e.Message, [e.Message, .. e.Details]));
                }
            }
            _options = _options.AddReferences(refs);
            _addedReferences.AddRange(refs);
            if (string.IsNullOrWhiteSpace(stripped)) { await CommitReferencesAsync(cancel).ConfigureAwait(false); return ExecutionOutcome.Ok(); }
        }

        var instrumenter = new InterruptInstrumenter(stripped, ParseOptions);
        var submission = Interlocked.Increment(ref _submission);
        var path = CellPath(submission);
        _cellLabels[path] = executionCount > 0 ? $"cell [{executionCount}]" : "cell";
        var script = state.Script.ContinueWith(instrumenter.Code, SubmissionOptions(path));
        ImmutableArray<Diagnostic> diagnostics;
        try { diagnostics = script.Compile(cancel); }
        catch (CompilationErrorException e) { diagnostics = e.Diagnostics; }
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) return ExecutionOutcome.Failed(ErrorFormatting.CompilationError(errors, code, instrumenter));

        var hasValue = HasTrailingValue(script.GetCompilation());

        var run = Task.Factory.StartNew(() =>
        {
            ScriptRuntime.EnterCell(cancel);
            return script.RunFromAsync(state, _ => true, cancel);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

        if (!await WaitOrAbandonAsync(run, cancel).ConfigureAwait(false))
            return ExecutionOutcome.Failed(InterruptedError());

        ScriptState<object> newState;
        try
        {
            newState = await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return ExecutionOutcome.Failed(InterruptedError());
        }
        catch (CompilationErrorException e)
        {
            return ExecutionOutcome.Failed(ErrorFormatting.CompilationError(e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList(), code, instrumenter));
        }
        catch (Exception e)
        {
            return ExecutionOutcome.Failed(ErrorFormatting.RuntimeError(e, CellLabel));
        }

        lock (_stateLock) _state = newState;
        _shadowed.Release(newState);
        if (newState.Exception is { } ex)
        {
            if (IsCancellation(ex) && cancel.IsCancellationRequested) return ExecutionOutcome.Failed(InterruptedError());
            return ExecutionOutcome.Failed(ErrorFormatting.RuntimeError(ex, CellLabel));
        }
        if (!hasValue || silentResult) return ExecutionOutcome.Ok();
        try
        {
            return ExecutionOutcome.Ok(MimeFormatter.Format(newState.ReturnValue));
        }
        catch (Exception e)
        {
            return ExecutionOutcome.Failed(ErrorFormatting.RuntimeError(e, CellLabel));
        }
    }

    /// <summary>
    /// A user expression: compiled as a submission after the session's last one and run from its state, which is
    /// then dropped, so that declarations do not stick, nothing counts as a cell and outputs (Console, display) go
    /// nowhere. Only an expression with a value is accepted.
    /// </summary>
    public async Task<ExpressionResult> EvaluateExpressionAsync(string expression, CancellationToken cancel)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        var previousOutput = ScriptRuntime.Output;
        try
        {
            ScriptRuntime.SetOutput(this, DiscardingOutput.Instance);
            if (Volatile.Read(ref _abandoned) == 0) ScriptRuntime.ClearInterrupt();
            using var signal = cancel.Register(ScriptRuntime.SignalInterrupt);
            try { return await EvaluateAsync(expression, cancel).ConfigureAwait(false); }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return ExpressionResult.Failed(InterruptedError());
            }
        }
        finally
        {
            if (previousOutput is not null) ScriptRuntime.SetOutput(this, previousOutput);
            _gate.Release();
        }
    }

    private const string ExpressionPath = "<user expression>";

    private async Task<ExpressionResult> EvaluateAsync(string expression, CancellationToken cancel)
    {
        var state = await EnsureStateAsync().ConfigureAwait(false);
        _cellLabels[ExpressionPath] = "user expression";
        var instrumenter = new InterruptInstrumenter(expression, ParseOptions);
        var script = state.Script.ContinueWith(instrumenter.Code, SubmissionOptions(ExpressionPath));
        ImmutableArray<Diagnostic> diagnostics;
        try { diagnostics = script.Compile(cancel); }
        catch (CompilationErrorException e) { diagnostics = e.Diagnostics; }
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) return ExpressionResult.Failed(ErrorFormatting.CompilationError(errors, expression, instrumenter));
        if (!HasTrailingValue(script.GetCompilation()))
        {
            var message = $"'{expression.Trim()}' is not an expression with a value (a user expression has no ';' and is not a statement).";
            return ExpressionResult.Failed(new ExecutionError("ExpressionError", message, [message]));
        }

        var run = Task.Factory.StartNew(() =>
        {
            ScriptRuntime.EnterCell(cancel);
            return script.RunFromAsync(state, _ => true, cancel);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        if (!await WaitOrAbandonAsync(run, cancel).ConfigureAwait(false)) return ExpressionResult.Failed(InterruptedError());

        ScriptState<object> result;
        try { result = await run.ConfigureAwait(false); }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            return ExpressionResult.Failed(ErrorFormatting.RuntimeError(e, CellLabel));
        }
        // The new state is not kept: the next cell continues from the last cell's state.
        if (result.Exception is { } ex)
        {
            if (IsCancellation(ex) && cancel.IsCancellationRequested) return ExpressionResult.Failed(InterruptedError());
            return ExpressionResult.Failed(ErrorFormatting.RuntimeError(ex, CellLabel));
        }
        try { return ExpressionResult.Ok(MimeFormatter.Format(result.ReturnValue)); }
        catch (Exception e) { return ExpressionResult.Failed(ErrorFormatting.RuntimeError(e, CellLabel)); }
    }

    private HashSet<string> ReferencedAssemblyNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in _options.MetadataReferences)
            if (r is PortableExecutableReference { FilePath: { } path }) names.Add(Path.GetFileNameWithoutExtension(path));
        return names;
    }

    /// <summary>Assemblies the host process has loaded, by simple name → file.</summary>
    private static Dictionary<string, string> HostAssemblies()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies())
            if (!a.IsDynamic && IsKernelAssembly(a) && a.GetName().Name is { } n) map.TryAdd(n, a.Location);
        return map;
    }

    /// <summary>Assemblies loaded by the host (not by cells): their versions are the ones cells must use.</summary>
    private static bool IsKernelAssembly(Assembly a) =>
        System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(a) == System.Runtime.Loader.AssemblyLoadContext.Default &&
        a.Location.Length > 0;

    /// <summary>Whether the submission ends with an expression without ';' whose type is not void.</summary>
    private static bool HasTrailingValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.Last();
        var root = (Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax)tree.GetRoot();
        if (root.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax
            { Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement })
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || (e is AggregateException ae && ae.Flatten().InnerExceptions.All(i => i is OperationCanceledException));

    /// <summary>A submission of only directives: an empty submission so that the new references join the chain.</summary>
    private async Task CommitReferencesAsync(CancellationToken cancel)
    {
        var state = await EnsureStateAsync().ConfigureAwait(false);
        var submission = Interlocked.Increment(ref _submission);
        var script = state.Script.ContinueWith("", SubmissionOptions(CellPath(submission)));
        var newState = await script.RunFromAsync(state, _ => true, cancel).ConfigureAwait(false);
        lock (_stateLock) _state = newState;
        _shadowed.Release(newState);
    }

    /// <summary>Waits for the run; after an interrupt, gives it the grace period and then abandons it (false).</summary>
    private async Task<bool> WaitOrAbandonAsync(Task run, CancellationToken cancel)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancel.Register(() => cancelled.TrySetResult()))
        {
            if (await Task.WhenAny(run, cancelled.Task).ConfigureAwait(false) == run) return true;
        }
        var grace = Task.Delay(_hostOptions.InterruptGracePeriod);
        if (await Task.WhenAny(run, grace).ConfigureAwait(false) == run) return true;
        Interlocked.Increment(ref _abandoned);
        _ = run.ContinueWith(t => { _ = t.Exception; Interlocked.Decrement(ref _abandoned); }, TaskScheduler.Default);
        return false;
    }

    // ---- variables ----

    internal IReadOnlyList<ScriptVariable> CurrentVariables()
    {
        var state = _state;
        if (state is null) return [];
        var byName = new Dictionary<string, ScriptVariable>(StringComparer.Ordinal);
        foreach (var v in state.Variables)
        {
            if (v.Name.StartsWith("__", StringComparison.Ordinal) || v.Name.Length == 0) continue;
            byName.Remove(v.Name);
            byName[v.Name] = v; // the latest declaration wins, in declaration order
        }
        return byName.Values.ToList();
    }

    internal void QueueBinding(string name, object? value, Type? type)
    {
        if (!SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
            throw new MagicException($"'{name}' is not a valid C# variable name.");
        lock (_pendingBindings) _pendingBindings.Add((name, value, type));
    }

    internal async Task FlushBindingsAsync(CancellationToken cancel)
    {
        List<(string Name, object? Value, Type? Type)> list;
        lock (_pendingBindings) { list = [.. _pendingBindings]; _pendingBindings.Clear(); }
        if (list.Count == 0) return;
        var state = await EnsureStateAsync().ConfigureAwait(false);
        var code = new StringBuilder();
        var newRefs = new List<MetadataReference>();
        foreach (var (name, value, type) in list)
        {
            var key = "__bind_" + name + "_" + Guid.NewGuid().ToString("N");
            _globals.__vars[key] = value;
            var declared = type ?? value?.GetType() ?? typeof(object);
            var typeName = TypeNames.CSharpName(declared, out var usedAssemblies);
            newRefs.AddRange(usedAssemblies.Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => MetadataReference.CreateFromFile(a.Location)));
            code.Append($"var {name} = ({typeName})__vars[\"{key}\"]; __vars.Remove(\"{key}\");\n");
        }
        if (newRefs.Count > 0)
        {
            var distinct = newRefs.DistinctBy(r => r.Display).ToList();
            _options = _options.AddReferences(distinct);
            _addedReferences.AddRange(distinct);
        }
        var submission = Interlocked.Increment(ref _submission);
        var script = state.Script.ContinueWith(code.ToString(), SubmissionOptions(CellPath(submission)));
        var newState = await script.RunFromAsync(state, _ => true, cancel).ConfigureAwait(false);
        if (newState.Exception is { } ex) throw new MagicException($"Could not bind variables: {ex.Message}", ex);
        lock (_stateLock) _state = newState;
        _shadowed.Release(newState);
    }

    /// <summary>Binds a variable from the host outside magics (runs a submission now).</summary>
    public async Task SetVariableAsync(string name, object? value, Type? declaredType = null, CancellationToken cancel = default)
    {
        await _gate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            QueueBinding(name, value, declaredType);
            await FlushBindingsAsync(cancel).ConfigureAwait(false);
        }
        finally { _gate.Release(); }
    }

    private sealed class ScriptVariables(CSharpInterpreter interpreter) : IScriptVariables
    {
        public IReadOnlyList<string> Names => interpreter.CurrentVariables().Select(v => v.Name).ToList();

        public bool TryGetValue(string name, out object? value)
        {
            var v = interpreter.CurrentVariables().FirstOrDefault(x => x.Name == name);
            value = v?.Value;
            return v is not null;
        }

        public Type? GetDeclaredType(string name) => interpreter.CurrentVariables().FirstOrDefault(x => x.Name == name)?.Type;

        public void SetVariable(string name, object? value, Type? declaredType = null) => interpreter.QueueBinding(name, value, declaredType);
    }

    // ---- language services ----

    public CompletenessResult IsComplete(string code) => CompletionService.IsComplete(code);

    /// <summary>is_complete without an interpreter: it depends on the text only.</summary>
    public static CompletenessResult CheckComplete(string code) => CompletionService.IsComplete(code);

    public CompletionResult Complete(string code, int cursor)
    {
        try { return CompletionService.Complete(this, code, cursor); }
        catch (Exception) { return new CompletionResult([], cursor, cursor); }
    }

    public InspectionResult? Inspect(string code, int cursor, int detailLevel)
    {
        try { return CompletionService.Inspect(this, code, cursor, detailLevel); }
        catch (Exception) { return null; }
    }

    /// <summary>The compilation of the session plus <paramref name="code"/> as the next submission.</summary>
    internal (Compilation Compilation, SyntaxTree Tree) CompileForAnalysis(string code)
    {
        var state = _state ?? EnsureStateAsync().GetAwaiter().GetResult();
        var script = state.Script.ContinueWith(code, SubmissionOptions("<analysis>"));
        var compilation = script.GetCompilation();
        return (compilation, compilation.SyntaxTrees.Last());
    }

    /// <summary>
    /// Drops all state: variables, declarations, #r references, Formatter.Register registrations of cells.
    /// Host settings (options, magics, MimeFormatter registrations) stay.
    /// </summary>
    public void Reset()
    {
        var entered = _gate.Wait(TimeSpan.FromSeconds(5)); // a running cell must not block a restart for long
        try
        {
            lock (_stateLock) { _state = null; }
            _globals = new ScriptGlobals();
            lock (_pendingBindings) _pendingBindings.Clear();
            _options = CreateScriptOptions();
            _addedReferences.Clear();
            _shadowed.Clear();
            _cellLabels.Clear();
            // Formatter.Register calls of cells are session state (host formatters go through MimeFormatter).
            try { Microsoft.DotNet.Interactive.Formatting.Formatter.ResetToDefault(); } catch { }
        }
        finally { if (entered) _gate.Release(); }
    }

    public void Dispose()
    {
        ScriptRuntime.Clear(this);
        lock (_stateLock) _state = null;
    }
}
