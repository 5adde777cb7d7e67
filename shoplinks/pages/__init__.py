"""shoplinks' pages: the share sheet fragments that the product and post pages load into their
share slots (share.py), the QR codes (qr.py), and the sharer's own links page (mine.py)."""
