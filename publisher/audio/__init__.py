"""Audio: ffmpeg from imageio-ffmpeg, assembly of clips into chapters, MP3 encoding, tags."""
