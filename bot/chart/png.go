package chart

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"sync"
)

// encodePNG writes an opaque picture as an 8-bit RGB PNG, every row with the
// "up" filter and the fastest deflate. image/png tries five filters on every
// row, which costs more than drawing the chart; a chart — white, flat
// colours, horizontal and vertical rules — compresses well with one.
func encodePNG(img *image.RGBA) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per sample, RGB; compression, filter and interlace methods 0
	writeChunk(&out, "IHDR", ihdr[:])

	e := encoders.Get().(*encoder)
	defer encoders.Put(e)
	e.data.Reset()
	e.z.Reset(&e.data)
	z := e.z
	prev, cur, row := make([]byte, 3*w), make([]byte, 3*w), make([]byte, 1+3*w)
	for y := 0; y < h; y++ {
		px := img.Pix[(y+b.Min.Y-img.Rect.Min.Y)*img.Stride+(b.Min.X-img.Rect.Min.X)*4:]
		for x := 0; x < w; x++ {
			cur[3*x], cur[3*x+1], cur[3*x+2] = px[4*x], px[4*x+1], px[4*x+2]
		}
		row[0] = 2 // up
		for i := range cur {
			row[1+i] = cur[i] - prev[i]
		}
		if _, err := z.Write(row); err != nil {
			return nil, err
		}
		prev, cur = cur, prev
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	writeChunk(&out, "IDAT", e.data.Bytes())
	writeChunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

// encoders recycle the deflate state (a megabyte) and the compressed data
// of the charts' pictures.
var encoders = sync.Pool{New: func() any {
	e := &encoder{}
	e.z, _ = zlib.NewWriterLevel(&e.data, zlib.BestSpeed) // a valid level: no error
	return e
}}

type encoder struct {
	data bytes.Buffer
	z    *zlib.Writer
}

// writeChunk writes one PNG chunk: length, type, data, CRC of type and data.
func writeChunk(w *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}
