using TorchSharp;
using static TorchSharp.torch;
using TsgbKit.Errors;

namespace TsgbKit.Synthetic;

/// <summary>A binary H×W pixel mask, stored row-major (<c>Data[y * Width + x]</c>).</summary>
public sealed class Mask
{
    public Mask(int width, int height) : this(width, height, new bool[checked(width * height)]) { }

    public Mask(int width, int height, bool[] data)
    {
        if (width <= 0 || height <= 0) throw new TsgbInputException("Mask sides must be positive.");
        if (data.Length != width * height) throw new TsgbInputException($"Expected {width * height} values, got {data.Length}.");
        Width = width;
        Height = height;
        Data = data;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Row-major pixels; true where the mask is set.</summary>
    public bool[] Data { get; }

    public bool this[int x, int y]
    {
        get => Data[y * Width + x];
        set => Data[y * Width + x] = value;
    }

    /// <summary>Number of set pixels.</summary>
    public int Area
    {
        get
        {
            int n = 0;
            foreach (var b in Data) if (b) n++;
            return n;
        }
    }

    /// <summary>The tight box around the set pixels; an empty box (0,0,0,0) when none is set.</summary>
    public Box BoundingBox()
    {
        int left = Width, top = Height, right = -1, bottom = -1;
        for (int y = 0; y < Height; y++)
        {
            int row = y * Width;
            for (int x = 0; x < Width; x++)
            {
                if (!Data[row + x]) continue;
                if (x < left) left = x;
                if (x > right) right = x;
                if (y < top) top = y;
                bottom = y;
            }
        }
        return right < 0 ? default : new Box(left, top, right + 1, bottom + 1);
    }

    /// <summary>A new mask set where this or the other is set.</summary>
    public Mask Or(Mask other)
    {
        CheckSize(other);
        var data = new bool[Data.Length];
        for (int i = 0; i < data.Length; i++) data[i] = Data[i] | other.Data[i];
        return new Mask(Width, Height, data);
    }

    public Mask Clone() => new(Width, Height, (bool[])Data.Clone());

    /// <summary>The mask as an H×W bool tensor.</summary>
    public Tensor ToTensor() => torch.tensor(Data, new long[] { Height, Width });

    /// <summary>A mask from an H×W tensor (non-zero = set).</summary>
    public static Mask FromTensor(Tensor mask)
    {
        if (mask.dim() != 2) throw new TsgbInputException($"Expected an H×W tensor, got shape [{string.Join(",", mask.shape)}].");
        using var scope = torch.NewDisposeScope();
        var data = mask.ne(0).cpu().data<bool>().ToArray();
        return new Mask((int)mask.shape[1], (int)mask.shape[0], data);
    }

    void CheckSize(Mask other)
    {
        if (other.Width != Width || other.Height != Height)
            throw new TsgbInputException($"Mask sizes differ: {Width}×{Height} vs {other.Width}×{other.Height}.");
    }
}
