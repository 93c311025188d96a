using TsgbKit.Methods;
using TsgbKit.Rules;

namespace TsgbKit.Explain;

/// <summary><c>.For(one target)</c>: <c>With</c> returns one <see cref="Explanation"/>.</summary>
public sealed class SingleTargetRequest
{
    private readonly ExplainRequest _request;
    private readonly TargetSpec _targets;

    internal SingleTargetRequest(ExplainRequest request, TargetSpec targets) { _request = request; _targets = targets; }

    /// <summary>Input × the gradient under these rules, e.g. TSGB: <c>.With(Tsgb.Conv.And(Tsgb.Fc))</c> (named by <see cref="CompositeNames"/>).</summary>
    public Explanation With(Composite rules) => With(CompositeNames.MethodFor(rules));

    /// <summary>Any method, e.g. <c>.With(new GradCam())</c>.</summary>
    public Explanation With(SaliencyMethod method) => Explainer.Run(_request, _targets, method)[0];
}

/// <summary><c>.For(several targets)</c>: <c>With</c> returns an <see cref="ExplanationSet"/>, computed in one batch.</summary>
public sealed class MultiTargetRequest
{
    private readonly ExplainRequest _request;
    private readonly TargetSpec _targets;

    internal MultiTargetRequest(ExplainRequest request, TargetSpec targets) { _request = request; _targets = targets; }

    public ExplanationSet With(Composite rules) => With(CompositeNames.MethodFor(rules));

    public ExplanationSet With(SaliencyMethod method) => Explainer.Run(_request, _targets, method);
}
