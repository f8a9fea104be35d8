"""Pure rules of the centre: standard library only, plain values in, plain values out."""
