using TsgbKit.Synthetic;
using TorchSharp;

namespace TsgbKit.Tests.Synthetic;

public class SceneTests
{
    [Fact]
    public void SameSeedGivesIdenticalPixelsMasksAndTargets()
    {
        var a = Scenes.Generate(42);
        var b = Scenes.Generate(42);
        Assert.Equal(a.Rgb, b.Rgb);
        Assert.Equal(a.Targets, b.Targets);
        Assert.Equal(a.Objects.Count, b.Objects.Count);
        for (int k = 0; k < a.Objects.Count; k++)
        {
            Assert.Equal(a.Objects[k].ClassIndex, b.Objects[k].ClassIndex);
            Assert.Equal(a.Objects[k].Mask.Data, b.Objects[k].Mask.Data);
            Assert.Equal(a.Objects[k].Box, b.Objects[k].Box);
        }
    }

    [Fact]
    public void DifferentSeedsGiveDifferentScenes()
    {
        var first = Scenes.Generate(1);
        for (int seed = 2; seed < 12; seed++)
        {
            var other = Scenes.Generate(seed);
            int differing = 0;
            for (int i = 0; i < first.Rgb.Length; i++) if (first.Rgb[i] != other.Rgb[i]) differing++;
            Assert.True(differing > first.Rgb.Length / 2, $"seed {seed} differs from seed 1 in only {differing} bytes");
        }
    }

    [Fact]
    public void MaskIsExactlyThePixelsTheObjectChanges()
    {
        // Re-render each scene with one object left out: the pixels that change must lie in that object's visible mask,
        // and (up to colour coincidences) fill it.
        for (int seed = 0; seed < 40; seed++)
        {
            var scene = Scenes.Generate(seed);
            for (int k = 0; k < scene.Objects.Count; k++)
            {
                var without = SceneRenderer.Render(scene.Layout, skipObject: k);
                var mask = scene.Objects[k].Mask;
                int changedInMask = 0;
                for (int p = 0; p < mask.Data.Length; p++)
                {
                    bool changed = without[3 * p] != scene.Rgb[3 * p] || without[3 * p + 1] != scene.Rgb[3 * p + 1]
                                   || without[3 * p + 2] != scene.Rgb[3 * p + 2];
                    if (changed) Assert.True(mask.Data[p], $"seed {seed} object {k}: pixel {p % scene.Width},{p / scene.Width} changed outside the mask");
                    if (changed) changedInMask++;
                }
                Assert.True(changedInMask >= 0.95 * mask.Area, $"seed {seed} object {k}: only {changedInMask} of {mask.Area} mask pixels differ");
            }
        }
    }

    [Fact]
    public void OnAPlainBackgroundMasksAreTheNonBackgroundPixels()
    {
        var options = new SceneOptions { Clutter = false };
        for (int seed = 0; seed < 30; seed++)
        {
            var scene = Scenes.Generate(seed, options);
            var background = SceneRenderer.Render(scene.Layout, drawObjects: false);
            // with no clutter every background pixel has the same colour
            Assert.All(Enumerable.Range(0, scene.Width * scene.Height), p => Assert.Equal(background[0], background[3 * p]));
            var union = new Mask(scene.Width, scene.Height);
            int changed = 0;
            foreach (var o in scene.Objects) union = union.Or(o.Mask);
            for (int p = 0; p < union.Data.Length; p++)
            {
                bool differs = scene.Rgb[3 * p] != background[3 * p] || scene.Rgb[3 * p + 1] != background[3 * p + 1]
                               || scene.Rgb[3 * p + 2] != background[3 * p + 2];
                if (differs) Assert.True(union.Data[p], $"seed {seed}: object-coloured pixel outside all masks");
                if (differs) changed++;
            }
            Assert.True(changed >= 0.95 * union.Area, $"seed {seed}: only {changed} of {union.Area} object pixels differ from the background");
        }
    }

    [Fact]
    public void VisibleMasksAreDisjointAndKeepEnoughOfEachObject()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var scene = Scenes.Generate(seed);
            var objs = scene.Objects;
            for (int a = 0; a < objs.Count; a++)
            {
                var spec = scene.Layout.Objects[a];
                Assert.True(objs[a].Mask.Area >= 0.6 * spec.ShapeArea, $"seed {seed}: object {a} keeps {objs[a].Mask.Area}/{spec.ShapeArea}");
                for (int b = a + 1; b < objs.Count; b++)
                    for (int p = 0; p < objs[a].Mask.Data.Length; p++)
                        Assert.False(objs[a].Mask.Data[p] && objs[b].Mask.Data[p]);
            }
        }
    }

    [Fact]
    public void AtLeastFortyPercentOfScenesHoldTwoDifferentClasses()
    {
        int multi = 0, total = 1000;
        var seen = new int[SceneClasses.Count];
        foreach (var scene in Scenes.Dataset(total, seed: 3))
        {
            if (scene.Classes.Count >= 2) multi++;
            Assert.InRange(scene.Objects.Count, 1, 3);
            Assert.Equal(scene.Objects.Count, scene.Classes.Count); // a class appears at most once
            foreach (var c in scene.Classes) seen[c]++;
        }
        Assert.True(multi >= 0.4 * total, $"only {multi} of {total} scenes hold two or more classes");
        Assert.All(seen, n => Assert.True(n > 100, "every class should appear often"));
    }

    [Fact]
    public void BoxesEncloseMasksTightly()
    {
        for (int seed = 0; seed < 100; seed++)
        {
            var scene = Scenes.Generate(seed);
            foreach (var o in scene.Objects)
            {
                Assert.False(o.Box.IsEmpty);
                bool left = false, right = false, top = false, bottom = false;
                for (int y = 0; y < scene.Height; y++)
                    for (int x = 0; x < scene.Width; x++)
                    {
                        if (!o.Mask[x, y]) continue;
                        Assert.True(o.Box.Contains(x, y));
                        left |= x == o.Box.Left; right |= x == o.Box.Right - 1; top |= y == o.Box.Top; bottom |= y == o.Box.Bottom - 1;
                    }
                Assert.True(left && right && top && bottom, "box is not tight");
                Assert.Equal(o.Box, scene.ClassBox(o.ClassIndex));
                Assert.Equal(o.Mask.Data, scene.ClassMask(o.ClassIndex).Data);
            }
        }
    }

    [Fact]
    public void TargetsMatchObjects()
    {
        for (int seed = 0; seed < 100; seed++)
        {
            var scene = Scenes.Generate(seed);
            Assert.Equal(SceneClasses.Count, scene.Targets.Length);
            for (int c = 0; c < SceneClasses.Count; c++)
            {
                bool present = scene.Objects.Any(o => o.ClassIndex == c);
                Assert.Equal(present ? 1f : 0f, scene.Targets[c]);
                Assert.Equal(present, scene.Contains(c));
                if (!present)
                {
                    Assert.Null(scene.ClassBox(c));
                    Assert.Equal(0, scene.ClassMask(c).Area);
                }
            }
        }
    }

    [Fact]
    public void ObjectSizesFollowTheOptions()
    {
        var options = new SceneOptions { Width = 128, Height = 96, MinSize = 0.2, MaxSize = 0.3 };
        for (int seed = 0; seed < 50; seed++)
        {
            var scene = Scenes.Generate(seed, options);
            Assert.Equal(128 * 96 * 3, scene.Rgb.Length);
            foreach (var o in scene.Layout.Objects)
                Assert.InRange(2 * o.Radius, 0.2 * 96 - 1e-3, 0.3 * 96 + 1e-3);
        }
    }

    [Fact]
    public void ClassNamesAreTheFixedLabelList()
    {
        Assert.Equal(new[] { "circle", "square", "triangle", "star", "cross", "ring", "hexagon", "arrow" }, SceneClasses.Names);
        Assert.Equal(5, SceneClasses.IndexOf("Ring"));
        Assert.Equal("ring", SceneClasses.NameOf((int)SceneClass.Ring));
    }

    [Fact]
    public void DatasetSeedsAreDerivedAndDisjoint()
    {
        var train = Scenes.Dataset(5, seed: 1);
        var test = Scenes.Dataset(5, seed: 2);
        Assert.Equal(1_000_003L, train.SceneSeed(0));
        Assert.Empty(Enumerable.Range(0, 5).Select(train.SceneSeed).Intersect(Enumerable.Range(0, 5).Select(test.SceneSeed)));
        Assert.Equal(Scenes.Generate(train.SceneSeed(3)).Rgb, train[3].Rgb);
        Assert.NotEqual(train[0].Rgb, test[0].Rgb);
    }

    [Fact]
    public void ToTensorNormalizesWithImageNetStatistics()
    {
        TsgbKit.Native.TorchNative.EnsureLoaded();
        using var scope = torch.NewDisposeScope();
        var scene = Scenes.Generate(5);
        var t = scene.ToTensor();
        Assert.Equal(new long[] { 1, 3, scene.Height, scene.Width }, t.shape);
        int x = 17, y = 30, p = y * scene.Width + x;
        for (int c = 0; c < 3; c++)
        {
            float expected = (scene.Rgb[3 * p + c] / 255f - Scene.ImageNetMean[c]) / Scene.ImageNetStd[c];
            Assert.Equal(expected, t[0, c, y, x].item<float>(), 4);
        }
        var raw = scene.ToTensor(normalize: false);
        Assert.Equal(scene.Rgb[3 * p + 1] / 255f, raw[0, 1, y, x].item<float>(), 5);
    }

    [Fact]
    public void BatchesStackScenesAndTargetsInOrder()
    {
        TsgbKit.Native.TorchNative.EnsureLoaded();
        using var scope = torch.NewDisposeScope();
        var ds = Scenes.Dataset(10, seed: 4);
        var batches = ds.Batches(4).ToList();
        Assert.Equal(new long[] { 4, 3, 112, 112 }, batches[0].Input.shape);
        Assert.Equal(new long[] { 2, 8 }, batches[2].Targets.shape);
        var (input, targets) = batches[1];
        using var expected = ds[5].ToTensor();
        Assert.True(input[1].unsqueeze(0).allclose(expected));
        Assert.Equal(ds[5].Targets, targets[1].data<float>().ToArray());

        // a shuffled epoch is a deterministic permutation
        var order1 = ds.Batches(3, shuffleSeed: 1).SelectMany(b => b.Scenes.Select(s => s.Seed)).ToArray();
        var order2 = ds.Batches(3, shuffleSeed: 1).SelectMany(b => b.Scenes.Select(s => s.Seed)).ToArray();
        Assert.Equal(order1, order2);
        Assert.Equal(Enumerable.Range(0, 10).Select(ds.SceneSeed).Order(), order1.Order());
    }

    [Fact]
    public void ToPngEncodesAPng()
    {
        var png = Scenes.Generate(0).ToPng();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        using var decoded = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal(112, decoded.Width);
        var scene = Scenes.Generate(0);
        var px = decoded.GetPixel(10, 20);
        int p = 20 * 112 + 10;
        Assert.Equal((scene.Rgb[3 * p], scene.Rgb[3 * p + 1], scene.Rgb[3 * p + 2]), (px.Red, px.Green, px.Blue));
    }
}
