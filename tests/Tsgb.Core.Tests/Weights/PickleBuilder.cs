using System.Buffers.Binary;
using System.Text;

namespace TsgbKit.Tests.Weights;

/// <summary>Writes pickle opcodes by hand, for checkpoints no honest torch.save would write (and for <see cref="TorchSaveWriter"/>).</summary>
public sealed class PickleBuilder
{
    readonly MemoryStream _bytes = new();

    public PickleBuilder Raw(params byte[] bytes) { _bytes.Write(bytes); return this; }
    public PickleBuilder Proto(byte version = 2) => Raw(0x80, version);
    public PickleBuilder Stop() => Raw((byte)'.');
    public PickleBuilder Mark() => Raw((byte)'(');
    public PickleBuilder Tuple() => Raw((byte)'t');
    public PickleBuilder EmptyTuple() => Raw((byte)')');
    public PickleBuilder EmptyDict() => Raw((byte)'}');
    public PickleBuilder EmptyList() => Raw((byte)']');
    public PickleBuilder SetItem() => Raw((byte)'s');
    public PickleBuilder SetItems() => Raw((byte)'u');
    public PickleBuilder Append() => Raw((byte)'a');
    public PickleBuilder Reduce() => Raw((byte)'R');
    public PickleBuilder Build() => Raw((byte)'b');
    public PickleBuilder PersistentId() => Raw((byte)'Q');
    public PickleBuilder False() => Raw(0x89);
    public PickleBuilder None() => Raw((byte)'N');
    public PickleBuilder Global(string module, string name) => Raw((byte)'c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    public PickleBuilder Put(byte index) => Raw((byte)'q', index);
    public PickleBuilder Get(byte index) => Raw((byte)'h', index);

    public PickleBuilder Str(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)utf8.Length);
        return Raw((byte)'X').Raw(length).Raw(utf8);
    }

    public PickleBuilder Int(long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
            return Raw((byte)'J').Raw(bytes);
        }
        var wide = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(wide, value);
        return Raw(0x8a, 8).Raw(wide);
    }

    /// <summary>A tuple of integers (a size or a stride).</summary>
    public PickleBuilder Ints(IEnumerable<long> values)
    {
        Mark();
        foreach (var v in values) Int(v);
        return Tuple();
    }

    /// <summary>torch._utils._rebuild_tensor_v2 of storage <paramref name="key"/>, as torch.save writes a tensor.</summary>
    public PickleBuilder Tensor(string storageClass, string key, long storageCount, long offset, long[] shape, long[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Mark();
        Mark().Str("storage").Global("torch", storageClass).Str(key).Str("cpu").Int(storageCount).Tuple().PersistentId();
        Int(offset).Ints(shape).Ints(stride).False();
        Global("collections", "OrderedDict").EmptyTuple().Reduce();
        return Tuple().Reduce();
    }

    public byte[] ToArray() => _bytes.ToArray();
}
