;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu image): the description of a disk image.
;;;
;;; The model of GNU Guix 1.5's module of the same name: the <partition>
;;; record (size, offset, file system and its mkfs options, label, UUID,
;;; flags and the gexp that fills it), the <image> record (name, format,
;;; platform, size, operating system, partition table type, partitions and
;;; the compression?/volatile-root?/shared-store?/shared-network?/
;;; substitutable? switches), the <image-type> record (a name and a
;;; procedure turning an operating system into an image) and os->image.
;;; Fields, defaults and sanitizers are Guix's; a bad value is reported at
;;; the place it is written, with Guix's message.
;;;
;;; The image types themselves live in (gnu system image) and (gnu system
;;; images hurd); schemos' image backend (schemos/image/) reads these records
;;; through schemos.image.spec (see docs/image.md).
;;;
;;; Where schemos differs from Guix: Guix also exports 'partition-device',
;;; which names no field of <partition> (there is none), so schemos does not.

(define-module (gnu image)
  #:use-module ((guix records) #:hide (define-record-type*))
  #:use-module (schemos system-support)
  #:use-module (guix platform)
  #:use-module (srfi srfi-1)
  #:export (partition
            partition?
            partition-size
            partition-offset
            partition-file-system
            partition-file-system-options
            partition-label
            partition-uuid
            partition-flags
            partition-initializer

            image
            image?
            image-name
            image-format
            image-platform
            image-size
            image-operating-system
            image-partition-table-type
            image-partitions
            image-compression?
            image-volatile-root?
            image-shared-store?
            image-shared-network?
            image-substitutable?

            image-type
            image-type?
            image-type-name
            image-type-constructor

            os->image
            os+platform->image))


;;;
;;; Sanitizers.
;;;

;; Image and partition sizes are a number of bytes, or 'guess: the size is
;; then estimated from the content.
(define-with-syntax-properties (validate-size (value properties))
  (unless (and value
               (or (eq? value 'guess) (integer? value)))
    (raise-located-error
     (source-properties->location properties)
     (format #f "size (~a) can only be 'guess or a numeric expression" value)))
  value)


;;;
;;; Partition record.
;;;

;; The offset of a partition is a number of bytes.
(define-with-syntax-properties (validate-partition-offset (value properties))
  (unless (and value (integer? value))
    (raise-located-error
     (source-properties->location properties)
     (format #f "the partition offset (~a) can only be a numeric expression"
             value)))
  value)

;; The partition flags Guix supports.
(define-with-syntax-properties (validate-partition-flags (value properties))
  (let ((bad-flags (if (list? value)
                       (lset-difference eq? value '(boot esp))
                       (list value))))
    (unless (and (list? value) (null? bad-flags))
      (raise-located-error
       (source-properties->location properties)
       (format #f "unsupported partition flag(s): ~a" bad-flags)
       "the supported flags are boot (the root partition) and esp (an EFI \
system partition)")))
  value)

(define-record-type* <partition> partition make-partition
  partition?
  (size                 partition-size   ;size in bytes as integer or 'guess
                        (default 'guess)
                        (sanitize validate-size))
  (offset               partition-offset
                        (default 0)   ;offset in bytes as integer
                        (sanitize validate-partition-offset))
  (file-system          partition-file-system
                        (default "ext4"))  ;string
  (file-system-options  partition-file-system-options
                        (default '()))  ;list of strings
  (label                partition-label)  ;string
  (uuid                 partition-uuid
                        (default #false))  ;<uuid>
  (flags                partition-flags
                        (default '())  ;list of symbols
                        (sanitize validate-partition-flags))
  (initializer          partition-initializer
                        (default #false))) ;gexp | #false


;;;
;;; Image record.
;;;

(define-syntax-rule (define-set-sanitizer name field set)
  "Define NAME as a sanitizer that fails, mentioning FIELD, on a value that
is not in SET."
  (define-with-syntax-properties (name (value properties))
    (unless (memq value 'set)
      (raise-located-error
       (source-properties->location properties)
       (format #f "~s: invalid '~a' value" value 'field)
       (format #f "the valid values are~{ ~a~}" 'set)))
    value))

;; The supported image formats.
(define-set-sanitizer validate-image-format format
  (disk-image compressed-qcow2 docker docker-layered iso9660 tarball wsl2))

;; The supported partition table types.
(define-set-sanitizer validate-partition-table-type partition-table-type
  (mbr gpt))

(define-record-type* <image>
  image make-image
  image?
  (name               image-name ;symbol
                      (default #false))
  (format             image-format                ;symbol
                      (sanitize validate-image-format))
  (platform           image-platform ;<platform>
                      (default #false))
  (size               image-size  ;size in bytes as integer
                      (default 'guess)
                      (sanitize validate-size))
  (operating-system   image-operating-system)  ;<operating-system>
  (partition-table-type image-partition-table-type ; 'mbr or 'gpt
                      (default 'mbr)
                      (sanitize validate-partition-table-type))
  (partitions         image-partitions ;list of <partition>
                      (default '()))
  (compression?       image-compression? ;boolean
                      (default #true))
  (volatile-root?     image-volatile-root? ;boolean
                      (default #true))
  (shared-store?      image-shared-store? ;boolean
                      (default #false))
  (shared-network?    image-shared-network? ;boolean
                      (default #false))
  (substitutable?     image-substitutable? ;boolean
                      (default #true)))


;;;
;;; Image type.
;;;

;; An image type turns an <operating-system> into an <image>.  The generic
;; ones are in (gnu system image), the machine-specific ones in the (gnu
;; system images ...) modules; 'lookup-image-type-by-name' finds them by
;; name, as 'guix system image --image-type=NAME' does.
(define-record-type* <image-type>
  image-type make-image-type
  image-type?
  (name           image-type-name) ;symbol
  (constructor    image-type-constructor)) ;<operating-system> -> <image>


;;;
;;; Image creation.
;;;

(define* (os->image os #:key type)
  "Use the image constructor from TYPE, an <image-type> record to turn the
given OS, an <operating-system> record into an image and return it."
  (let ((constructor (image-type-constructor type)))
    (constructor os)))

(define* (os+platform->image os platform #:key type)
  "Use the image constructor from TYPE, an <image-type> record to turn the
given OS, an <operating-system> record into an image targeting PLATFORM, a
<platform> record and return it."
  (image
   (inherit (os->image os #:type type))
   (platform platform)))
