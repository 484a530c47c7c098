;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system uuid): file system UUIDs that know their own format.
;;;
;;; The model of GNU Guix 1.5's module of the same name.  A <uuid> is a
;;; bytevector plus a type ('dce, 'fat, 'iso9660, 'ntfs, or a file system
;;; type that uses one of those formats), so that it can be printed back the
;;; way GRUB and /dev/disk/by-uuid show it.  The parsers and printers are
;;; Python (schemos/system_support.py): they are simple byte shuffling, and
;;; the 'uuid' macro needs them at expansion time anyway to reject an invalid
;;; literal where it is written, as Guix does.

(define-module (gnu system uuid)
  #:use-module (schemos system-support)
  #:use-module (srfi srfi-9)
  #:export (uuid
            uuid?
            uuid-type
            uuid-bytevector
            uuid=?

            bytevector->uuid

            uuid->string
            dce-uuid->string
            string->uuid
            string->dce-uuid
            string->iso9660-uuid
            string->ext2-uuid
            string->ext3-uuid
            string->ext4-uuid
            string->bcachefs-uuid
            string->btrfs-uuid
            string->fat-uuid
            string->jfs-uuid
            string->ntfs-uuid
            string->xfs-uuid
            iso9660-uuid->string

            sub-bytevector
            latin1->string))

(define (sub-bytevector bv start size)
  "Return a copy of the SIZE bytes of BV starting from offset START."
  (let ((result (make-bytevector size)))
    (bytevector-copy! bv start result 0 size)
    result))

(define (latin1->string bv terminator)
  "Return the string of the latin1 bytes of BV up to the first one satisfying
TERMINATOR, or #f if there are none."
  (let loop ((bytes (bytevector->u8-list bv)) (acc '()))
    (if (or (null? bytes) (terminator (car bytes)))
        (and (pair? acc) (list->string (map integer->char (reverse acc))))
        (loop (cdr bytes) (cons (car bytes) acc)))))

(define (string->dce-uuid str)
  "Parse STR as a DCE UUID (RFC 4122), returning a 16-byte bytevector or #f."
  (%string->uuid str 'dce))

(define (dce-uuid->string bv)
  "The RFC 4122 text of BV, a 16-byte bytevector."
  (%uuid->string bv 'dce))

(define (string->iso9660-uuid str)
  "Parse STR, an ISO-9660 volume timestamp such as \"2020-01-01-12-30-00-00\"."
  (%string->uuid str 'iso9660))

(define (iso9660-uuid->string bv)
  "The timestamp text of the ISO-9660 UUID BV."
  (%uuid->string bv 'iso9660))

(define (string->fat-uuid str)
  "Parse STR, a FAT volume ID such as \"1234-ABCD\"."
  (%string->uuid str 'fat))

(define (string->ntfs-uuid str)
  "Parse STR, an NTFS volume serial of 16 hexadecimal digits."
  (%string->uuid str 'ntfs))

(define string->ext2-uuid string->dce-uuid)
(define string->ext3-uuid string->dce-uuid)
(define string->ext4-uuid string->dce-uuid)
(define string->bcachefs-uuid string->dce-uuid)
(define string->btrfs-uuid string->dce-uuid)
(define string->jfs-uuid string->dce-uuid)
(define string->xfs-uuid string->dce-uuid)

(define* (string->uuid str #:optional (type 'dce))
  "Parse STR as a UUID of the given TYPE.  On success, return the
corresponding bytevector; otherwise return #f."
  (%string->uuid str type))

;; High-level UUID representation that carries its type with it, so that it
;; is printed back in the format its file system uses (GRUB's 'search
;; --fs-uuid' compares texts, not bytes).
(define-record-type <uuid>
  (make-uuid type bv)
  uuid?
  (type  uuid-type)                               ;'dce | 'iso9660 | ...
  (bv    uuid-bytevector))

(define* (bytevector->uuid bv #:optional (type 'dce))
  "Return a UUID object made of BV and TYPE."
  (make-uuid type bv))

;; (uuid "…") and (uuid "…" 'type): a literal is parsed when the form is
;; expanded, and an invalid one is a syntax error there; otherwise #f at run
;; time for a string that does not parse.
(define-syntax uuid (%uuid-syntax make-uuid %string->uuid))

(define* (uuid->string x #:optional type)
  "Convert X, a UUID object or a bytevector (of TYPE, default 'dce), to its
textual representation."
  (if (uuid? x)
      (%uuid->string (uuid-bytevector x) (uuid-type x))
      (%uuid->string x (or type 'dce))))

(define (uuid=? a b)
  "Return true if A and B, UUID objects or bytevectors, have the same bytes."
  (define (bytes x) (if (uuid? x) (uuid-bytevector x) x))
  (bytevector=? (bytes a) (bytes b)))
