using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace TsgbKit.Weights.PyTorch;

/// <summary>
/// A pickle reader that builds only data: None, bools, integers, floats, strings, bytes, tuples, lists and dicts,
/// tensors (through the <see cref="PickleAllowList"/>'s handlers) and storages (through the persistent ids PyTorch
/// writes). It implements the binary opcodes of pickle protocols 2 to 5 that such data needs; every other opcode,
/// and every global outside the allow-list, makes it refuse the file. It never loads, imports or calls anything
/// named in the file: a global is a key into the allow-list, a REDUCE applies one of the list's C# handlers.
/// </summary>
internal sealed class RestrictedUnpickler
{
    readonly Stream _stream;
    readonly string _path;
    readonly string _part;
    readonly Func<PickleTuple, object> _persistentLoad;
    readonly Dictionary<long, object?> _memo = new();
    readonly Stack<List<object?>> _marks = new();
    List<object?> _stack = [];

    RestrictedUnpickler(Stream stream, string path, string part, Func<PickleTuple, object> persistentLoad)
    {
        _stream = stream;
        _path = path;
        _part = part;
        _persistentLoad = persistentLoad;
    }

    /// <summary>
    /// Reads one pickle from the current position of <paramref name="stream"/> (left just after its STOP opcode).
    /// <paramref name="part"/> names it in errors ("data.pkl"); <paramref name="persistentLoad"/> turns a persistent id
    /// into a storage (null: the pickle may not have any).
    /// </summary>
    public static object? Load(Stream stream, string path, string part, Func<PickleTuple, object>? persistentLoad = null)
    {
        var reader = new RestrictedUnpickler(stream, path, part,
            persistentLoad ?? (_ => throw new WeightsException(path, null, $"{part} refers to a storage where none may be")));
        try
        {
            return reader.Run();
        }
        catch (EndOfStreamException e)
        {
            throw new WeightsException(path, null, $"{part} ends in the middle of the pickle (truncated or corrupt file)", e);
        }
    }

    object? Run()
    {
        while (true)
        {
            long at = _stream.Position;
            byte opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: // PROTO
                    if (ReadByte() > 5) throw Corrupt(at, "uses a pickle protocol above 5");
                    break;
                case 0x95: // FRAME: a length hint for buffered reading
                    ReadExactly(8);
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0) throw Corrupt(at, "stops with an unbalanced stack");
                    return _stack[0];
                case (byte)'(': // MARK
                    _marks.Push(_stack);
                    _stack = [];
                    break;

                case (byte)'0': Pop(at); break;                                         // POP
                case (byte)'1': PopMark(at); break;                                     // POP_MARK
                case (byte)'2': { var top = Pop(at); Push(top); Push(top); break; }     // DUP

                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadExactly(4))); break;
                case (byte)'K': Push((long)ReadByte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(2))); break;
                case 0x8a: Push(ReadLong(ReadByte(), at)); break;                       // LONG1
                case 0x8b: Push(ReadLong(ReadLength(4, at), at)); break;                // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadExactly(8))); break;

                case (byte)'X': Push(ReadText(ReadLength(4, at), at)); break;           // BINUNICODE
                case 0x8c: Push(ReadText(ReadByte(), at)); break;                       // SHORT_BINUNICODE
                case 0x8d: Push(ReadText(ReadLength(8, at), at)); break;                // BINUNICODE8
                case (byte)'U': Push(ReadText(ReadByte(), at)); break;                  // SHORT_BINSTRING (Python 2 str)
                case (byte)'T': Push(ReadText(ReadLength(4, at), at)); break;           // BINSTRING (Python 2 str)
                case (byte)'C': Push(ReadExactly(ReadByte())); break;                   // SHORT_BINBYTES
                case (byte)'B': Push(ReadExactly(ReadLength(4, at))); break;            // BINBYTES
                case 0x8e: Push(ReadExactly(ReadLength(8, at))); break;                 // BINBYTES8

                case (byte)'}': Push(new PickleDict()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)')': Push(new PickleTuple([])); break;
                case (byte)'t': Push(new PickleTuple(PopMark(at))); break;
                case 0x85: Push(new PickleTuple([Pop(at)])); break;
                case 0x86: { var b = Pop(at); var a = Pop(at); Push(new PickleTuple([a, b])); break; }
                case 0x87: { var c = Pop(at); var b = Pop(at); var a = Pop(at); Push(new PickleTuple([a, b, c])); break; }
                case (byte)'l': Push(PopMark(at)); break;
                case (byte)'d': { var dict = new PickleDict(); SetItems(dict, PopMark(at), at); Push(dict); break; }
                case (byte)'a': { var item = Pop(at); Top<List<object?>>(at, "APPEND").Add(item); break; }
                case (byte)'e': { var items = PopMark(at); Top<List<object?>>(at, "APPENDS").AddRange(items); break; }
                case (byte)'s': { var value = Pop(at); var key = Pop(at); Top<PickleDict>(at, "SETITEM").Set(key, value); break; }
                case (byte)'u': { var items = PopMark(at); SetItems(Top<PickleDict>(at, "SETITEMS"), items, at); break; }

                case (byte)'q': Memoize(ReadByte(), at); break;                         // BINPUT
                case (byte)'r': Memoize(BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(4)), at); break;  // LONG_BINPUT
                case 0x94: Memoize(_memo.Count, at); break;                             // MEMOIZE
                case (byte)'h': Push(Recall(ReadByte(), at)); break;                    // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(4)), at)); break;  // LONG_BINGET

                case (byte)'c': // GLOBAL module\nname\n: resolved against the allow-list, never imported
                {
                    var module = ReadLine(at);
                    var name = ReadLine(at);
                    Push(PickleAllowList.Resolve(module, name, _path));
                    break;
                }
                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop(at) as string ?? throw Corrupt(at, "gives STACK_GLOBAL a name that is not a string");
                    var module = Pop(at) as string ?? throw Corrupt(at, "gives STACK_GLOBAL a module that is not a string");
                    Push(PickleAllowList.Resolve(module, name, _path));
                    break;
                }
                case (byte)'R': // REDUCE: only the allow-list's handlers can be applied
                {
                    var arguments = Pop(at) as PickleTuple ?? throw Corrupt(at, "applies a function to arguments that are not a tuple");
                    var function = Pop(at) as AllowedGlobal ?? throw Corrupt(at, "applies something that is not a function");
                    Push(PickleCalls.Apply(function, arguments, _path));
                    break;
                }
                case (byte)'b': // BUILD: sets an object's state; only the OrderedDict's _metadata attribute, which is not needed
                {
                    Pop(at);
                    Top<PickleDict>(at, "BUILD");
                    break;
                }
                case (byte)'Q': // BINPERSID: a storage
                {
                    var id = Pop(at) as PickleTuple ?? throw Corrupt(at, "has a persistent id that is not a tuple");
                    Push(_persistentLoad(id));
                    break;
                }
                default:
                    throw new WeightsException(_path, null,
                        $"{_part} uses pickle opcode {Describe(opcode)} at byte {at}, which Tsgb does not accept: " +
                        "only tensors and plain containers are allowed, so Tsgb refused the file without running anything");
            }
        }
    }

    static string Describe(byte opcode) => opcode switch
    {
        0x81 => "NEWOBJ (builds an instance of a class)",
        0x92 => "NEWOBJ_EX (builds an instance of a class)",
        (byte)'i' => "INST (builds an instance of a class)",
        (byte)'o' => "OBJ (builds an instance of a class)",
        0x82 or 0x83 or 0x84 => "EXT (a registered extension)",
        (byte)'P' => "PERSID (a text persistent id)",
        _ => opcode is >= 0x20 and < 0x7f ? $"'{(char)opcode}' (0x{opcode:x2})" : $"0x{opcode:x2}",
    };

    void Push(object? value) => _stack.Add(value);

    object? Pop(long at)
    {
        if (_stack.Count == 0) throw Corrupt(at, "pops an empty stack");
        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    T Top<T>(long at, string opcode) where T : class
    {
        if (_stack.Count == 0) throw Corrupt(at, $"uses {opcode} on an empty stack");
        return _stack[^1] as T ?? throw new WeightsException(_path, null,
            $"{_part} uses {opcode} at byte {at} on a {PickleText.TypeName(_stack[^1])}: only tensors and plain containers are allowed, " +
            "so Tsgb refused the file without running anything");
    }

    List<object?> PopMark(long at)
    {
        if (_marks.Count == 0) throw Corrupt(at, "closes a MARK that was never opened");
        var items = _stack;
        _stack = _marks.Pop();
        return items;
    }

    void SetItems(PickleDict dict, List<object?> items, long at)
    {
        if (items.Count % 2 != 0) throw Corrupt(at, "has a dict with a key but no value");
        for (int i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
    }

    void Memoize(long index, long at)
    {
        if (_stack.Count == 0) throw Corrupt(at, "memoizes from an empty stack");
        _memo[index] = _stack[^1];
    }

    object? Recall(long index, long at) =>
        _memo.TryGetValue(index, out var value) ? value : throw Corrupt(at, $"refers to memo entry {index}, which was never stored");

    byte ReadByte()
    {
        int value = _stream.ReadByte();
        if (value < 0) throw new EndOfStreamException();
        return (byte)value;
    }

    byte[] ReadExactly(long count)
    {
        var bytes = new byte[count];
        _stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>A length field of <paramref name="width"/> bytes, checked against what is left of the pickle.</summary>
    long ReadLength(int width, long at)
    {
        var raw = ReadExactly(width);
        ulong length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(raw) : BinaryPrimitives.ReadUInt64LittleEndian(raw);
        if (length > (ulong)(_stream.Length - _stream.Position))
            throw new WeightsException(_path, null, $"{_part} declares {length} bytes at byte {at} but fewer remain (truncated or corrupt file)");
        return (long)length;
    }

    object ReadLong(long byteCount, long at)
    {
        if (byteCount > 1024) throw Corrupt(at, $"has an integer of {byteCount} bytes");
        var value = new BigInteger(ReadExactly(byteCount), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value; // long when it fits, as BININT gives
    }

    string ReadText(long byteCount, long at)
    {
        try { return Strict.GetString(ReadExactly(byteCount)); }
        catch (DecoderFallbackException e) { throw new WeightsException(_path, null, $"{_part} has a string at byte {at} that is not UTF-8 (corrupt file)", e); }
    }

    string ReadLine(long at)
    {
        var line = new StringBuilder();
        while (true)
        {
            byte b = ReadByte();
            if (b == (byte)'\n') return line.ToString();
            if (b < 0x20 || b > 0x7e || line.Length > 200) throw Corrupt(at, "has a GLOBAL whose name is not a short printable line");
            line.Append((char)b);
        }
    }

    WeightsException Corrupt(long at, string what) =>
        new(_path, null, $"{_part} {what} (pickle byte {at}): the file is corrupt or not a PyTorch checkpoint");

    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
